package org.tidepool.clinic.cdc.outbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.tidepool.clinic.mongo.MongoJson;

/** Builds change events in the shape of the MongoDB source connector (see docs/design.md). */
final class ChangeEvents {
  private static final AtomicInteger ORDINAL = new AtomicInteger();

  private final String database;

  ChangeEvents(String database) {
    this.database = database;
  }

  JsonObject insert(String recordId, String coll, JsonObject fullDocument) {
    return base(recordId, "insert", coll, fullDocument).put("fullDocument", fullDocument);
  }

  /** {@code fields}: the top-level fields the write changed; their values come from the document after it. */
  JsonObject update(String recordId, String coll, JsonObject fullDocument, Collection<String> fields,
                    Collection<String> removedFields) {
    JsonObject updatedFields = new JsonObject();
    for (String field : fields) {
      if (fullDocument.containsKey(field)) {
        updatedFields.put(field, fullDocument.getValue(field));
      }
    }
    JsonObject description = new JsonObject()
        .put("updatedFields", updatedFields)
        .put("removedFields", new JsonArray(removedFields.stream().toList()))
        .put("truncatedArrays", new JsonArray());
    return base(recordId, "update", coll, fullDocument)
        .put("fullDocument", fullDocument)
        .put("updateDescription", description);
  }

  JsonObject delete(String recordId, String coll, String documentId) {
    return base(recordId, "delete", coll, new JsonObject().put("_id", MongoJson.oid(documentId)));
  }

  private JsonObject base(String recordId, String operationType, String coll, JsonObject document) {
    Instant now = Instant.now();
    JsonObject clusterTime = new JsonObject().put("$timestamp",
        new JsonObject().put("t", now.getEpochSecond()).put("i", Math.floorMod(ORDINAL.incrementAndGet(), Integer.MAX_VALUE) + 1));
    return new JsonObject()
        .put("_id", new JsonObject().put("_data", recordId))
        .put("operationType", operationType)
        .put("clusterTime", clusterTime)
        .put("wallTime", MongoJson.date(now))
        .put("ns", new JsonObject().put("db", database).put("coll", coll))
        .put("documentKey", new JsonObject().put("_id", MongoJson.oid(MongoJson.hex(document.getValue("_id")))));
  }
}
