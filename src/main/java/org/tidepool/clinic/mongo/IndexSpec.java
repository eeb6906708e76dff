package org.tidepool.clinic.mongo;

import io.vertx.core.json.JsonObject;
import com.mongodb.client.model.CollationStrength;
import io.vertx.ext.mongo.CollationOptions;
import io.vertx.ext.mongo.IndexOptions;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** A named index definition, comparable with what {@code listIndexes} reports. */
public record IndexSpec(String collection, String name, JsonObject keys, boolean unique, JsonObject partialFilter,
                        CollationOptions collation) {
  /** MongoDB's {@code en} collation at strength 1 (case and accents ignored), where the server has collations. */
  public static final CollationOptions EN_STRENGTH_1 = new CollationOptions().setLocale("en").setStrength(CollationStrength.PRIMARY);

  public static IndexSpec plain(String collection, String name, JsonObject keys) {
    return new IndexSpec(collection, name, keys, false, null, null);
  }

  public static IndexSpec unique(String collection, String name, JsonObject keys) {
    return new IndexSpec(collection, name, keys, true, null, null);
  }

  public static IndexSpec uniqueWhere(String collection, String name, JsonObject keys, JsonObject partialFilter) {
    return new IndexSpec(collection, name, keys, true, partialFilter, null);
  }

  public static IndexSpec plainWhere(String collection, String name, JsonObject keys, JsonObject partialFilter) {
    return new IndexSpec(collection, name, keys, false, partialFilter, null);
  }

  /** The same index under a collation (created without it where the server has none). */
  public IndexSpec withCollation(CollationOptions collation) {
    return new IndexSpec(collection, name, keys, unique, partialFilter, collation);
  }

  public boolean isText() {
    return keys.stream().anyMatch(entry -> "text".equals(entry.getValue()));
  }

  public IndexOptions options(boolean withCollation) {
    IndexOptions options = new IndexOptions().name(name).unique(unique);
    if (collation != null && withCollation) {
      options.setCollation(collation);
    }
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
    if (collation != null && existing.getValue("collation") instanceof JsonObject existingCollation
        && !(collation.getLocale().equals(existingCollation.getString("locale"))
            && Integer.valueOf(collation.getStrength().getIntRepresentation()).equals(existingCollation.getInteger("strength")))) {
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
