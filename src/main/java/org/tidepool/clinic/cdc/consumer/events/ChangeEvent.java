package org.tidepool.clinic.cdc.consumer.events;

import io.vertx.core.json.JsonObject;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** A MongoDB change event as the source connector publishes it, read through BSON types. */
public record ChangeEvent(BsonDocument document) {
  public static final String INSERT = "insert";
  public static final String UPDATE = "update";
  public static final String REPLACE = "replace";
  public static final String DELETE = "delete";

  private static final JsonWriterSettings VERTX_MONGO_JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

  /**
   * A stable id of the change: the resume token's {@code _data}, or for the connector's
   * copy-existing events the copied document's id.
   */
  public String id() {
    String data = resumeTokenData();
    if (data != null) {
      return data;
    }
    BsonDocument token = document.isDocument("_id") ? document.getDocument("_id") : new BsonDocument();
    BsonValue copied = token.get("_id");
    if (copied != null && copied.isObjectId()) {
      return copied.asObjectId().getValue().toHexString();
    }
    return token.toJson();
  }

  /** The resume token's {@code _data}; null for events that have none (copy-existing events). */
  private String resumeTokenData() {
    BsonDocument token = document.isDocument("_id") ? document.getDocument("_id") : null;
    return token != null && token.isString("_data") ? token.getString("_data").getValue() : null;
  }

  /** {@code wallTime} (when the change was written) in epoch milliseconds, or null. */
  public Long wallTimeMillis() {
    return document.isDateTime("wallTime") ? document.getDateTime("wallTime").getValue() : null;
  }

  /**
   * An insert the connector made up for a document that already existed ({@code copy.existing}
   * at start): its {@code _id} is {@code {_id: <document id>, copyingData: true}}.
   */
  public boolean isCopy() {
    BsonDocument token = document.isDocument("_id") ? document.getDocument("_id") : new BsonDocument();
    return token.isBoolean("copyingData") && token.getBoolean("copyingData").getValue();
  }

  public String operationType() {
    return document.isString("operationType") ? document.getString("operationType").getValue() : "";
  }

  public boolean is(String operationType) {
    return operationType().equals(operationType);
  }

  /** The document after the change; null when absent or null (delete, or deleted since). */
  public BsonDocument fullDocument() {
    return document.isDocument("fullDocument") ? document.getDocument("fullDocument") : null;
  }

  /** The changed document's {@code _id}, or null. */
  public BsonValue documentId() {
    return document.isDocument("documentKey") ? document.getDocument("documentKey").get("_id") : null;
  }

  /** {@code updateDescription.updatedFields}, empty when absent. */
  public BsonDocument updatedFields() {
    BsonDocument description = document.isDocument("updateDescription") ? document.getDocument("updateDescription") : null;
    return description != null && description.isDocument("updatedFields") ? description.getDocument("updatedFields") : new BsonDocument();
  }

  /** {@code updateDescription.removedFields} as names, empty when absent. */
  public java.util.List<String> removedFields() {
    BsonDocument description = document.isDocument("updateDescription") ? document.getDocument("updateDescription") : null;
    if (description == null || !description.isArray("removedFields")) {
      return java.util.List.of();
    }
    return description.getArray("removedFields").stream().filter(BsonValue::isString).map(v -> v.asString().getValue()).toList();
  }

  /** A string field of the full document, or null. */
  public String fullDocumentString(String field) {
    BsonDocument full = fullDocument();
    return full != null && full.isString(field) ? full.getString(field).getValue() : null;
  }

  /** A BSON document in the Vert.x Mongo client's JSON form ({@code $oid}, ISO {@code $date}). */
  public static JsonObject toMongoJson(BsonDocument bson) {
    return new JsonObject(bson.toJson(VERTX_MONGO_JSON));
  }
}
