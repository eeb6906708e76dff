package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.platform.Platform;

/** Mints the HS256 tokens jwt mode accepts (used by the {@code token} CLI command and tests). */
public final class DevTokens {
  static final String ALGORITHM = "HS256";
  static final int VALIDITY_SECONDS = 24 * 60 * 60;

  private final JWTAuth jwt;
  private final String serverName;

  DevTokens(JWTAuth jwt, String serverName) {
    this.jwt = jwt;
    this.serverName = serverName;
  }

  public static Future<DevTokens> load(Vertx vertx, Settings settings) {
    return JwtSecret.load(vertx, settings).map(secret -> new DevTokens(provider(vertx, secret), Platform.serverName(settings)));
  }

  static JWTAuth provider(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(secret)));
  }

  /** A user token: {@code sub}, {@code email}, {@code name}. */
  public String user(String id, String email, String name) {
    JsonObject claims = new JsonObject().put("sub", id);
    if (email != null) {
      claims.put("email", email);
    }
    if (name != null) {
      claims.put("name", name);
    }
    return sign(claims);
  }

  /** A backend-service token: {@code server: true}. */
  public String server() {
    return sign(new JsonObject().put("sub", serverName).put("server", true));
  }

  String sign(JsonObject claims) {
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm(ALGORITHM).setExpiresInSeconds(VALIDITY_SECONDS));
  }

  JWTAuth provider() {
    return jwt;
  }
}
