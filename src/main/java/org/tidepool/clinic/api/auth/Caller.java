package org.tidepool.clinic.api.auth;

import io.vertx.core.json.JsonObject;

/** Who sent a request: a Tidepool user, or a backend service (server token). */
public record Caller(String userId, boolean server) {

  public static Caller user(String userId) {
    return new Caller(userId, false);
  }

  public static Caller service(String userId) {
    return new Caller(userId, true);
  }

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("server", server);
  }
}
