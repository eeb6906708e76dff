package org.tidepool.clinic.api.auth;

import io.vertx.core.MultiMap;
import java.util.Optional;

/** Where callers put their token. */
final class Credentials {
  static final String SESSION_TOKEN_HEADER = "x-tidepool-session-token";
  private static final String BEARER = "bearer ";

  private Credentials() {}

  static Optional<String> sessionToken(MultiMap headers) {
    return nonBlank(headers.get(SESSION_TOKEN_HEADER));
  }

  static Optional<String> bearerToken(MultiMap headers) {
    String authorization = headers.get("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return nonBlank(authorization.substring(BEARER.length()));
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
