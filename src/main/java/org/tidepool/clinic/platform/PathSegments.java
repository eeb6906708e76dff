package org.tidepool.clinic.platform;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

final class PathSegments {
  private PathSegments() {}

  /** Encodes a value for use as one URL path segment. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
