package org.tidepool.clinic.cdc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.types.ObjectId;

/** Change events in the source connector's shape, in the Vert.x Mongo JSON form, for tests. */
public final class ChangeEvents {
  private ChangeEvents() {}

  public static JsonObject oid(String hex) {
    return new JsonObject().put("$oid", hex);
  }

  public static JsonObject event(String operationType, String coll, String documentId, JsonObject fullDocument) {
    JsonObject event = new JsonObject()
        .put("_id", new JsonObject().put("_data", new ObjectId().toHexString()))
        .put("operationType", operationType)
        .put("clusterTime", new JsonObject().put("$timestamp", new JsonObject().put("t", 1_790_000_000).put("i", 1)))
        .put("wallTime", new JsonObject().put("$date", "2026-11-26T10:00:00Z"))
        .put("ns", new JsonObject().put("db", "clinic").put("coll", coll))
        .put("documentKey", new JsonObject().put("_id", oid(documentId)));
    if (fullDocument != null) {
      event.put("fullDocument", fullDocument.copy().put("_id", oid(documentId)));
    }
    return event;
  }

  public static JsonObject update(String coll, String documentId, JsonObject fullDocument, JsonObject updatedFields) {
    return event("update", coll, documentId, fullDocument).put("updateDescription", new JsonObject()
        .put("updatedFields", updatedFields).put("removedFields", new JsonArray()).put("truncatedArrays", new JsonArray()));
  }

  public static String dataOf(JsonObject event) {
    return event.getJsonObject("_id").getString("_data");
  }
}
