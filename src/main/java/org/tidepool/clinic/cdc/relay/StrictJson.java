package org.tidepool.clinic.cdc.relay;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Writes documents the way the MongoDB Kafka source connector does with its default formatter:
 * the Java driver's STRICT JSON ({@code $oid}, {@code $date} as epoch milliseconds,
 * {@code $timestamp}), sent as a JSON string literal ("format A").
 */
public final class StrictJson {
  @SuppressWarnings("deprecation") // STRICT is the mode the connector's default formatter uses
  private static final JsonWriterSettings STRICT = JsonWriterSettings.builder().outputMode(JsonMode.STRICT).build();

  private StrictJson() {}

  /**
   * @param mongoJson a document in the Vert.x Mongo client's JSON form ({@code $oid},
   *                  {@code $date} as an ISO-8601 string, {@code $timestamp: {t, i}})
   */
  public static String of(JsonObject mongoJson) {
    return BsonDocument.parse(mongoJson.encode()).toJson(STRICT);
  }

  /** The top-level fields of a change event in the order MongoDB's change streams give them. */
  private static final List<String> CHANGE_EVENT_ORDER = List.of(
      "_id", "operationType", "clusterTime", "wallTime", "fullDocument", "ns", "documentKey", "updateDescription");

  /** The change event as the connector publishes it: change streams' field order, format A. */
  public static String changeEvent(JsonObject event) {
    JsonObject ordered = new JsonObject();
    CHANGE_EVENT_ORDER.stream().filter(event::containsKey).forEach(field -> ordered.put(field, event.getValue(field)));
    event.forEach(field -> ordered.getMap().putIfAbsent(field.getKey(), field.getValue()));
    return formatA(ordered);
  }

  /** The STRICT JSON of the document, quoted as a JSON string literal. */
  public static String formatA(JsonObject mongoJson) {
    return Json.encode(of(mongoJson));
  }
}
