package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.json.JsonObject;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;

/** Reading change-event documents. */
final class Bson {
  private Bson() {}

  static String string(BsonDocument document, String field) {
    return document != null && document.isString(field) ? document.getString(field).getValue() : null;
  }

  /** An ObjectId as hex, a string as is, else null. */
  static String id(BsonValue value) {
    if (value == null) {
      return null;
    }
    if (value.isObjectId()) {
      return value.asObjectId().getValue().toHexString();
    }
    return value.isString() ? value.asString().getValue() : null;
  }

  /** A BSON value as the JSON a profile or request body holds (dates as ISO text). */
  static Object json(BsonValue value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isDateTime()) {
      return java.time.Instant.ofEpochMilli(value.asDateTime().getValue()).toString();
    }
    return ChangeEvent.toMongoJson(new BsonDocument("v", value)).getValue("v");
  }

  static boolean isCustodial(BsonDocument patient) {
    return patient != null && patient.isDocument("permissions") && patient.getDocument("permissions").containsKey("custodian");
  }

  static JsonObject object(BsonDocument document) {
    return ChangeEvent.toMongoJson(document);
  }
}
