package org.tidepool.clinic.api.auth;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.jwt.JWTAuth;

/** Test access to token minting with chosen keys. */
public final class TestTokens {
  private TestTokens() {}

  public static DevTokens withSecret(Vertx vertx, String secret) {
    return new DevTokens(DevTokens.provider(vertx, secret), "clinic");
  }

  public static JWTAuth provider(DevTokens tokens) {
    return tokens.provider();
  }
}
