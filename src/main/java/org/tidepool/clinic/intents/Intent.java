package org.tidepool.clinic.intents;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * An operation that writes several documents, recorded before its first write: its kind, the
 * clinic it changes (or, for an operation over all of a user's records, the user's scope), and every value it decided up front (ids, documents), so that after a crash
 * it can be completed, or its traces removed, from the record alone.
 */
public record Intent(String id, String kind, String clinicId, JsonObject params, Instant createdTime) {

  public static Intent create(String kind, String clinicId, JsonObject params) {
    return new Intent(MongoJson.newId(), kind, clinicId, params, Instant.now());
  }

  JsonObject toDocument() {
    return new JsonObject()
        .put("_id", MongoJson.oid(id))
        .put("kind", kind)
        .put("clinicId", clinicId)
        .put("params", params)
        .put("createdTime", MongoJson.date(createdTime));
  }

  static Intent fromDocument(JsonObject document) {
    return new Intent(MongoJson.hex(document.getValue("_id")), document.getString("kind"), document.getString("clinicId"),
        document.getJsonObject("params", new JsonObject()), MongoJson.instant(document.getValue("createdTime")));
  }
}
