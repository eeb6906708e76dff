package org.tidepool.clinic.api.auth;

import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.platform.Platform;

/** How callers are authenticated: shoreline session tokens, or locally signed JWTs. */
public enum AuthMode {
  TIDEPOOL, JWT;

  /** Tidepool mode goes with Tidepool's services: when {@code TIDEPOOL_SHORELINE_CLIENT_ADDRESS} is set. */
  public static AuthMode of(Settings settings) {
    return Platform.usesTidepoolServices(settings) ? TIDEPOOL : JWT;
  }
}
