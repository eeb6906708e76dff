package org.tidepool.clinic.cdc.relay;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What upstream's source connectors leave out of a collection's change events, applied before
 * publishing: the {@code patients} connector projects away {@code fullDocument.summary} and
 * {@code updateDescription.updatedFields.summary} (copied-in summaries are large and not the
 * consumers' business), and ours also {@code fullNameKey} (our name-order key, no upstream field).
 * The outbox keeps the whole event.
 */
final class SourcePipelines {
  private static final Map<String, List<String>> LEFT_OUT = Map.of("patients", List.of("summary", "fullNameKey"));

  private SourcePipelines() {}

  /** The fields of the collection's documents its connector leaves out of the events. */
  static List<String> leftOut(String coll) {
    return LEFT_OUT.getOrDefault(coll, List.of());
  }

  /** The event as the collection's connector would publish it (a copy when something is left out). */
  static JsonObject published(String coll, JsonObject event) {
    List<String> fields = LEFT_OUT.get(coll);
    if (fields == null) {
      return event;
    }
    JsonObject copy = event.copy();
    JsonObject fullDocument = copy.getJsonObject("fullDocument");
    JsonObject description = copy.getJsonObject("updateDescription");
    JsonObject updatedFields = description == null ? null : description.getJsonObject("updatedFields");
    for (String field : fields) {
      if (fullDocument != null) {
        fullDocument.remove(field);
      }
      if (updatedFields != null) {
        updatedFields.remove(field);
      }
    }
    return copy;
  }
}
