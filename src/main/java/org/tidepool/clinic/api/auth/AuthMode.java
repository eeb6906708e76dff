package org.tidepool.clinic.api.auth;

import org.tidepool.clinic.config.Settings;

/** How callers are authenticated: shoreline session tokens, or locally signed JWTs. */
public enum AuthMode {
  TIDEPOOL, JWT;

  public static final String SHORELINE_ADDRESS = "TIDEPOOL_SHORELINE_CLIENT_ADDRESS";

  public static AuthMode of(Settings settings) {
    return settings.string(SHORELINE_ADDRESS).isEmpty() ? JWT : TIDEPOOL;
  }
}
