package org.tidepool.clinic.mongo;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** A named index definition, comparable with what {@code listIndexes} reports. */
public record IndexSpec(String collection, String name, JsonObject keys, boolean unique, JsonObject partialFilter) {

  public static IndexSpec plain(String collection, String name, JsonObject keys) {
    return new IndexSpec(collection, name, keys, false, null);
  }

  public static IndexSpec unique(String collection, String name, JsonObject keys) {
    return new IndexSpec(collection, name, keys, true, null);
  }

  public static IndexSpec uniqueWhere(String collection, String name, JsonObject keys, JsonObject partialFilter) {
    return new IndexSpec(collection, name, keys, true, partialFilter);
  }

  public boolean isText() {
    return keys.stream().anyMatch(entry -> "text".equals(entry.getValue()));
  }

  public IndexOptions options() {
    IndexOptions options = new IndexOptions().name(name).unique(unique);
    if (partialFilter != null) {
      options.partialFilterExpression(partialFilter);
    }
    return options;
  }

  /** Whether an index reported by {@code listIndexes} has this definition. */
  public boolean matches(JsonObject existing) {
    if (existing.getBoolean("unique", false) != unique) {
      return false;
    }
    if (!Objects.equals(normalise(existing.getJsonObject("partialFilterExpression")), normalise(partialFilter))) {
      return false;
    }
    JsonObject existingKeys = existing.getJsonObject("key", new JsonObject());
    if (!isText()) {
      return sameKeys(existingKeys, keys);
    }
    // MongoDB reports a text index as {prefix..., _fts: "text", _ftsx: 1} with the fields in "weights"
    JsonObject weights = existing.getJsonObject("weights");
    if (weights == null) {
      return sameKeys(existingKeys, keys);
    }
    Set<String> textFields = keys.stream().filter(e -> "text".equals(e.getValue())).map(e -> e.getKey()).collect(Collectors.toSet());
    JsonObject prefix = new JsonObject();
    keys.stream().filter(e -> !"text".equals(e.getValue())).forEach(e -> prefix.put(e.getKey(), e.getValue()));
    JsonObject existingPrefix = new JsonObject();
    existingKeys.stream().filter(e -> !e.getKey().startsWith("_fts")).forEach(e -> existingPrefix.put(e.getKey(), e.getValue()));
    return weights.fieldNames().equals(textFields) && sameKeys(existingPrefix, prefix);
  }

  private static boolean sameKeys(JsonObject a, JsonObject b) {
    if (!a.fieldNames().stream().toList().equals(b.fieldNames().stream().toList())) {
      return false;
    }
    for (String field : a.fieldNames()) {
      if (!sameDirection(a.getValue(field), b.getValue(field))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameDirection(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }

  private static String normalise(JsonObject filter) {
    return filter == null || filter.isEmpty() ? null : filter.encode();
  }
}
