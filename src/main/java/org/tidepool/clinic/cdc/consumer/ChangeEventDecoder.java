package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.json.JsonParseException;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;

/**
 * Reads the two change-event formats found on Tidepool's CDC topics:
 * <ul>
 *   <li>A: the event's STRICT extended JSON, itself encoded as a JSON string literal (the
 *       source connector with JsonConverter);</li>
 *   <li>B: the event as raw canonical or relaxed extended JSON (StringConverter with the
 *       ExtendedJson formatter).</li>
 * </ul>
 * The Java driver's JSON reader understands every extended JSON dialect, so only A's outer
 * string needs unwrapping.
 */
public final class ChangeEventDecoder {
  private ChangeEventDecoder() {}

  public static ChangeEvent decode(String value) {
    if (value == null || value.isBlank()) {
      throw new PermanentFailure("empty change event", null);
    }
    String text = value.strip();
    try {
      if (text.startsWith("\"")) {
        Object unquoted = Json.decodeValue(text);
        if (!(unquoted instanceof String inner)) {
          throw new PermanentFailure("change event is not a JSON string or object", null);
        }
        text = inner.strip();
      }
      return new ChangeEvent(BsonDocument.parse(text));
    } catch (DecodeException | JsonParseException | BsonInvalidOperationException | IllegalArgumentException e) {
      throw new PermanentFailure("undecodable change event: " + e.getMessage(), e);
    }
  }
}
