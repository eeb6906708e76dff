package org.tidepool.clinic.patientlist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The filter and sort tables of ListPatients, derived from the contract at start-up: a parameter
 * {@code <type>.<field>} of schema FloatFilter/IntFilter filters {@code summary.<type>Stats.periods.<period>.<field>}
 * when {@code <type>Period.v1} has that field (D13: every parameter on its own field);
 * {@code <type>.<date>From}/{@code To} ranges {@code summary.<type>Stats.dates.<date>}; a summary sort
 * attribute is a number of {@code <type>Period.v1} or a date of {@code summaryDates.v1} with a
 * {@code has…} flag, and sorts after that flag (descending) where the schema has one, so that
 * missing values come last. A parameter none of these rules serves is {@link #refused()}.
 */
public final class ListTables {
  public static final String CONTRACT = "openapi/clinic.v1.yaml";
  /** The parameters the list's own code reads (not summary filters). */
  static final Set<String> PLAIN = Set.of("search", "offset", "limit", "sort", "sortType", "period", "lastReviewed", "tags", "sites",
      "omitNonStandardRanges");
  static final Set<String> NAME_SORTS = Set.of("fullName", "birthDate", "lastReviewed");

  /** A summary range filter: {@code field} of the period (numbers) or of the dates (From: $gte, To: $lt). */
  public record Range(String type, String field, Kind kind) {
    public enum Kind { NUMBER, DATE_FROM, DATE_TO }
  }

  /** A summary sort attribute: its path below {@code summary.<type>Stats} ({@code {period}} for the period) and its flag, or null. */
  public record SummarySort(String path, String flag) {}

  private final Map<String, Range> ranges = new LinkedHashMap<>();
  private final Map<String, Map<String, SummarySort>> summarySorts = new LinkedHashMap<>();
  private final List<String> refused = new ArrayList<>();
  private final List<String> types = new ArrayList<>();

  ListTables(JsonObject contract) {
    JsonObject schemas = contract.getJsonObject("components").getJsonObject("schemas");
    JsonArray parameters = operation(contract, "ListPatients").getJsonArray("parameters");
    for (Object item : parameters) {
      JsonObject parameter = resolve(contract, (JsonObject) item);
      String name = parameter.getString("name");
      if (name.equals("sortType")) {
        parameter.getJsonObject("schema").getJsonArray("enum").forEach(type -> types.add((String) type));
      }
    }
    for (String type : types) {
      summarySorts.put(type, sortsOf(schemas, type));
    }
    for (Object item : parameters) {
      JsonObject parameter = resolve(contract, (JsonObject) item);
      String name = parameter.getString("name");
      if (!PLAIN.contains(name)) {
        Range range = rangeOf(schemas, name, parameter.getJsonObject("schema"));
        if (range == null) {
          refused.add(name);
        } else {
          ranges.put(name, range);
        }
      }
    }
  }

  /** The tables of our packaged contract. */
  public static ListTables fromContract() {
    try (InputStream in = ListTables.class.getClassLoader().getResourceAsStream(CONTRACT)) {
      if (in == null) {
        throw new IllegalStateException("no contract " + CONTRACT + " on the class path");
      }
      Object document = new Yaml(new LoaderOptions()).load(in);
      return new ListTables(JsonObject.mapFrom(document));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Map<String, Range> ranges() {
    return ranges;
  }

  /** Contract parameters of ListPatients that no rule serves: a request naming one is refused (400). */
  public List<String> refused() {
    return refused;
  }

  public List<String> types() {
    return types;
  }

  public Map<String, SummarySort> summarySorts(String type) {
    return summarySorts.getOrDefault(type, Map.of());
  }

  private Range rangeOf(JsonObject schemas, String name, JsonObject schema) {
    int dot = name.indexOf('.');
    if (dot < 0 || !types.contains(name.substring(0, dot))) {
      return null;
    }
    String type = name.substring(0, dot);
    String field = name.substring(dot + 1);
    String ref = schema.getString("$ref", "");
    if (ref.endsWith("/FloatFilter") || ref.endsWith("/IntFilter")) {
      JsonObject period = properties(schemas, type + "Period.v1");
      return isNumber(period.getJsonObject(field)) ? new Range(type, field, Range.Kind.NUMBER) : null;
    }
    if ("date-time".equals(schema.getString("format"))) {
      JsonObject dates = properties(schemas, "summaryDates.v1");
      for (Range.Kind kind : List.of(Range.Kind.DATE_FROM, Range.Kind.DATE_TO)) {
        String suffix = kind == Range.Kind.DATE_FROM ? "From" : "To";
        String stem = field.endsWith(suffix) ? field.substring(0, field.length() - suffix.length()) : null;
        if (stem != null && dates.getJsonObject(stem) != null && "date-time".equals(dates.getJsonObject(stem).getString("format"))) {
          return new Range(type, stem, kind);
        }
      }
    }
    return null;
  }

  private static Map<String, SummarySort> sortsOf(JsonObject schemas, String type) {
    Map<String, SummarySort> sorts = new LinkedHashMap<>();
    JsonObject period = properties(schemas, type + "Period.v1");
    for (String field : period.fieldNames()) {
      if (isNumber(period.getJsonObject(field))) {
        String base = field.endsWith("Delta") ? field.substring(0, field.length() - "Delta".length()) : field;
        String flag = flagOf(base);
        sorts.put(field, new SummarySort("periods.{period}." + field, period.containsKey(flag) ? "periods.{period}." + flag : null));
      }
    }
    JsonObject dates = properties(schemas, "summaryDates.v1");
    for (String field : dates.fieldNames()) {
      if ("date-time".equals(dates.getJsonObject(field).getString("format")) && dates.containsKey(flagOf(field))) {
        sorts.put(field, new SummarySort("dates." + field, "dates." + flagOf(field)));
      }
    }
    return sorts;
  }

  private static String flagOf(String field) {
    return "has" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
  }

  private static boolean isNumber(JsonObject schema) {
    return schema != null && ("number".equals(schema.getString("type")) || "integer".equals(schema.getString("type")));
  }

  private static JsonObject properties(JsonObject schemas, String name) {
    JsonObject schema = schemas.getJsonObject(name);
    return schema == null ? new JsonObject() : schema.getJsonObject("properties", new JsonObject());
  }

  private static JsonObject operation(JsonObject contract, String operationId) {
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (Map.Entry<String, Object> entry : paths.getJsonObject(path)) {
        if (entry.getValue() instanceof JsonObject op && operationId.equals(op.getString("operationId"))) {
          return op;
        }
      }
    }
    throw new IllegalStateException("the contract has no operation " + operationId);
  }

  /** A parameter object, following a {@code $ref} into components. */
  private static JsonObject resolve(JsonObject contract, JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    JsonObject target = contract;
    for (String part : ref.substring(2).split("/")) {
      target = target.getJsonObject(part);
    }
    return target;
  }
}
