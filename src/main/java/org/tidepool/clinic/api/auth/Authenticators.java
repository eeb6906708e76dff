package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.platform.Platform;

/** Chooses the authenticator of the configured {@link AuthMode}. */
public final class Authenticators {
  private Authenticators() {}

  public static Future<Authenticator> create(Vertx vertx, Settings settings, Platform platform) {
    return switch (AuthMode.of(settings)) {
      case TIDEPOOL -> Future.succeededFuture(new TidepoolAuthenticator(
          platform.shoreline().orElseThrow(() -> new IllegalStateException("tidepool mode without a shoreline session"))));
      case JWT -> DevTokens.load(vertx, settings).map(tokens -> new JwtAuthenticator(tokens.provider(), platform.users()));
    };
  }
}
