package org.tidepool.clinic.store;

import io.vertx.core.json.JsonObject;

/** Builds the store's request envelope (docs/design.md) in tests. */
public final class Envelope extends JsonObject {
  private Envelope(String userId, boolean server) {
    put("caller", new JsonObject().put("userId", userId).put("server", server));
    put("path", new JsonObject());
    put("query", new JsonObject());
  }

  public static Envelope as(String userId) {
    return new Envelope(userId, false);
  }

  public static Envelope server() {
    return new Envelope("server0001", true);
  }

  public Envelope path(String name, String value) {
    getJsonObject("path").put(name, value);
    return this;
  }

  public Envelope query(String name, Object value) {
    getJsonObject("query").put(name, value);
    return this;
  }

  /** An independent copy to build variants of one request. */
  public Envelope copyEnvelope() {
    Envelope copy = new Envelope(null, false);
    copy.mergeIn(copy(), true);
    return copy;
  }

  public Envelope body(JsonObject body) {
    put("body", body);
    return this;
  }
}
