package org.tidepool.clinic.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Instances of the contract's schemas, built from the schemas themselves: the smallest valid
 * value (required properties only) that the fuzz varies, and the largest valid value that the
 * bounds test measures.
 */
final class SchemaInstances {
  /** A letter that takes 4 bytes in UTF-8 (CJK extension B); variants differ in their last letter. */
  private static final int WIDE_LETTER = 0x20000;
  /** Values for patterned strings, tried in turn: ids, share codes, emails. */
  private static final List<String> PATTERN_EXAMPLES = List.of("0123456789", "01234567-89ab-cdef-0123-456789abcdef",
      "0123456789abcdef01234567", "ABCD-EFGH-JKLM", "fuzz@example.org", "Fuzz");

  private final ContractDocument contract;

  SchemaInstances(ContractDocument contract) {
    this.contract = contract;
  }

  // --- the smallest valid value ----------------------------------------------------------------

  /**
   * A small valid value: the schema's const, first enum value or example where it has one, only
   * the required properties of an object, minItems items of an array, the shortest string its
   * form allows, the least number its minimum allows.
   */
  Object valid(JsonObject node, int variant) {
    JsonObject schema = flattened(node);
    if (schema.containsKey("const")) {
      return schema.getValue("const");
    }
    if (schema.containsKey("enum")) {
      JsonArray values = schema.getJsonArray("enum");
      return values.getValue(variant % values.size());
    }
    if (schema.containsKey("example")) {
      return schema.getValue("example");
    }
    if (schema.getValue("examples") instanceof JsonArray examples && !examples.isEmpty()) {
      return examples.getValue(variant % examples.size());
    }
    String type = typeOf(schema);
    return switch (type) {
      case "object" -> validObject(schema, variant);
      case "array" -> {
        JsonArray array = new JsonArray();
        for (int i = 0; i < schema.getInteger("minItems", 0); i++) {
          array.add(valid(schema.getJsonObject("items"), variant + i));
        }
        yield array;
      }
      case "string" -> validString(schema, variant);
      case "boolean" -> false;
      case "integer" -> least(schema).longValue();
      case "number" -> least(schema);
      default -> throw new IllegalArgumentException("no valid value for type " + type);
    };
  }

  private JsonObject validObject(JsonObject schema, int variant) {
    JsonObject object = new JsonObject();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    List<String> required = schema.getJsonArray("required", new JsonArray()).stream().map(String::valueOf).toList();
    required.forEach(name -> object.put(name, valid(properties.getJsonObject(name, new JsonObject()), variant)));
    // optional properties only as far as the object needs more of them
    int needed = schema.getInteger("minProperties", 0);
    for (String name : properties.fieldNames()) {
      if (object.size() >= needed) {
        break;
      }
      object.put(name, valid(properties.getJsonObject(name), variant));
    }
    return object;
  }

  private static Number least(JsonObject schema) {
    if (schema.getValue("minimum") instanceof Number minimum) {
      return minimum;
    }
    if (schema.getValue("exclusiveMinimum") instanceof Number exclusive) {
      return exclusive.longValue() + 1;
    }
    if (schema.getValue("maximum") instanceof Number maximum && maximum.doubleValue() < 0) {
      return maximum;
    }
    return 0;
  }

  private static String validString(JsonObject schema, int variant) {
    int minLength = schema.getInteger("minLength", 0);
    int maxLength = schema.getInteger("maxLength", Integer.MAX_VALUE);
    String letter = Character.toString('a' + variant % 26);
    List<String> candidates = switch (schema.getString("format", "")) {
      case "date-time" -> List.of("2026-12-01T20:00:00Z");
      case "date" -> List.of("2026-12-01");
      case "email" -> List.of("fuzz" + letter + "@example.org");
      case "uri" -> List.of("https://example.org/" + letter);
      case "hostname" -> List.of(letter + ".example.org");
      default -> {
        List<String> texts = new ArrayList<>();
        texts.add("Fuzz " + letter + "x".repeat(Math.max(0, minLength - 6)));
        texts.add(letter.repeat(Math.max(1, minLength)));
        texts.addAll(PATTERN_EXAMPLES);
        yield texts;
      }
    };
    Pattern pattern = Pattern.compile(schema.getString("pattern", ""));
    return candidates.stream()
        .filter(candidate -> {
          int length = candidate.codePointCount(0, candidate.length());
          return length >= minLength && length <= maxLength && pattern.matcher(candidate).find();
        })
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no valid value for " + schema.encode()));
  }

  // --- the largest valid value -----------------------------------------------------------------

  /**
   * The largest value the schema accepts: every string at its maxLength in 4-byte letters where
   * its form allows them, every array at its maxItems (items made distinct by {@code variant}),
   * every optional property present.
   */
  Object largest(JsonObject node, int variant) {
    JsonObject schema = flattened(node);
    if (schema.containsKey("enum")) {
      List<Object> values = new ArrayList<>(schema.getJsonArray("enum").getList());
      values.sort(Comparator.comparingInt((Object value) -> String.valueOf(value).length()).reversed());
      return values.get(variant % values.size());
    }
    String type = typeOf(schema);
    return switch (type) {
      case "object" -> {
        JsonObject object = new JsonObject();
        JsonObject properties = schema.getJsonObject("properties", new JsonObject());
        properties.fieldNames().forEach(name -> object.put(name, largest(properties.getJsonObject(name), variant)));
        yield object;
      }
      case "array" -> {
        JsonArray array = new JsonArray();
        for (int i = 0; i < schema.getInteger("maxItems"); i++) {
          array.add(largest(schema.getJsonObject("items"), i));
        }
        yield array;
      }
      case "string" -> largestString(schema, variant);
      case "boolean" -> true;
      // the largest int32 without a maximum: a longer number adds no bytes worth measuring
      case "integer" -> schema.getValue("maximum") instanceof Number maximum ? maximum.longValue() : Integer.MAX_VALUE;
      case "number" -> schema.getValue("maximum") instanceof Number maximum ? maximum.doubleValue() : Double.MAX_VALUE;
      default -> throw new IllegalArgumentException("no largest value for type " + type);
    };
  }

  /** The schema's type; a nullable one (OpenAPI 3.1: ["array", "null"]) is its non-null type. */
  private static String typeOf(JsonObject schema) {
    return schema.getValue("type") instanceof JsonArray types
        ? types.stream().map(String::valueOf).filter(name -> !name.equals("null")).findFirst().orElse("null")
        : schema.getString("type", "object");
  }

  private static String largestString(JsonObject schema, int variant) {
    String format = schema.getString("format", "");
    if (format.equals("date-time")) {
      return "2026-12-01T20:00:00.123456789+00:00";
    }
    if (format.equals("date")) {
      return "2026-12-01";
    }
    Integer maxLength = schema.getInteger("maxLength");
    if (maxLength == null) {
      throw new IllegalArgumentException("a string without maxLength has no largest value: " + schema.encode());
    }
    char last = (char) ('a' + variant % 26);
    switch (format) {
      case "email":
        return largestEmail(maxLength, last);
      case "hostname":
        return largestHostname(maxLength, last);
      case "uri":
        // path segments: the costliest characters for the uri check's recursion
        String prefix = "https://example.org/";
        return (prefix + "a/".repeat(maxLength)).substring(0, maxLength - 1) + last;
      default:
        List<String> candidates = new ArrayList<>();
        candidates.add(wideLetters(maxLength - 1) + Character.toString(WIDE_LETTER + 1 + variant));
        if (maxLength >= 6) {
          // hex ids, distinct per variant (unique items)
          candidates.add("f".repeat(maxLength - 6) + String.format("%06x", variant));
        }
        candidates.add("f".repeat(maxLength));
        if (maxLength >= 36) {
          // UUID user ids, distinct per variant (tidepoolUserIds.v1)
          candidates.add(String.format("ffffffff-ffff-ffff-ffff-ff%010x", variant));
        }
        if (maxLength >= 64 + 1 + 63 * 2 + 2 + 4 + 1) {
          candidates.add(largestEmail(maxLength, last));
        }
        candidates.addAll(PATTERN_EXAMPLES);
        Pattern pattern = Pattern.compile(schema.getString("pattern", ""));
        return candidates.stream()
            .filter(candidate -> candidate.codePointCount(0, candidate.length()) <= maxLength && pattern.matcher(candidate).find())
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no largest value for " + schema.encode()));
    }
  }

  /** The longest address: a 64-character local part, a domain of 63-character labels. */
  private static String largestEmail(int maxLength, char last) {
    return "a".repeat(63) + last + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(maxLength - 64 - 1 - 63 * 2 - 2 - 4) + ".org";
  }

  /** The longest host name: 63-character labels, the last one shorter. */
  private static String largestHostname(int maxLength, char last) {
    StringBuilder host = new StringBuilder();
    while (maxLength - host.length() > 64) {
      host.append("h".repeat(63)).append('.');
    }
    int rest = maxLength - host.length();
    return host.append("h".repeat(rest - 1)).append(last).toString();
  }

  private static String wideLetters(int count) {
    return Character.toString(WIDE_LETTER).repeat(count);
  }

  /** The schema with its {@code $ref}, {@code allOf} members and {@code then} merged into one object. */
  JsonObject flattened(JsonObject node) {
    JsonObject schema = contract.resolve(node).copy();
    for (Object member : schema.getJsonArray("allOf", new JsonArray())) {
      flattened((JsonObject) member).forEach(entry -> schema.getMap().putIfAbsent(entry.getKey(), entry.getValue()));
    }
    if (schema.getValue("then") instanceof JsonObject then) {
      then.forEach(entry -> schema.getMap().putIfAbsent(entry.getKey(), entry.getValue()));
    }
    return schema;
  }
}
