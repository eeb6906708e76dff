package org.tidepool.clinic.common;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event in Kafka's binary content mode ({@code ce_*} headers, the JSON data as
 * the value), as Tidepool's go-common producers send them; the structured mode
 * ({@code application/cloudevents+json}) is read too. Hand-written: four headers are all the
 * SDK would give here, and the Java SDK is not among this build's dependencies.
 */
public record CloudEvent(String id, String source, String type, Instant time, JsonObject data) {
  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "content-type";
  private static final String STRUCTURED = "application/cloudevents+json";

  /** A new event; the id is derived from {@code idSeed} when given (a repeat keeps its id), else random. */
  public static CloudEvent of(String idSeed, String source, String type, JsonObject data) {
    String id = idSeed == null ? UUID.randomUUID().toString()
        : UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8)).toString();
    return new CloudEvent(id, source, type, Instant.now(), data);
  }

  /** The Kafka headers of the binary mode. */
  public Map<String, String> binaryHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", SPEC_VERSION);
    headers.put("ce_id", id);
    headers.put("ce_source", source);
    headers.put("ce_type", type);
    headers.put("ce_time", time.toString());
    headers.put(CONTENT_TYPE, "application/json");
    return headers;
  }

  /**
   * The event in a Kafka record, or null when the record is not a CloudEvent (upstream ignores
   * those). Fails with {@link IllegalArgumentException} when it is one whose data is not JSON.
   */
  public static CloudEvent read(Map<String, String> headers, String value) {
    String contentType = headers.getOrDefault(CONTENT_TYPE, "");
    try {
      if (headers.containsKey("ce_type") && headers.containsKey("ce_specversion")) {
        JsonObject data = value == null || value.isBlank() ? null : new JsonObject(value);
        return new CloudEvent(headers.get("ce_id"), headers.get("ce_source"), headers.get("ce_type"),
            time(headers.get("ce_time")), data);
      }
      if (contentType.startsWith(STRUCTURED) && value != null) {
        JsonObject event = new JsonObject(value);
        if (event.getString("type") == null || event.getString("specversion") == null) {
          return null;
        }
        Object data = event.getValue("data");
        return new CloudEvent(event.getString("id"), event.getString("source"), event.getString("type"),
            time(event.getString("time")), data instanceof JsonObject object ? object : null);
      }
      return null;
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("CloudEvent whose data is not a JSON object: " + e.getMessage(), e);
    }
  }

  private static Instant time(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
