package org.tidepool.clinic.patientlist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.NameOrder;
import org.tidepool.clinic.mongo.Page;

/**
 * One ListPatients request as a MongoDB query (§3.4): the filter (every OR-group a member of one
 * {@code $and}, so none replaces another), the sort (always ending with {@code _id}) and the page.
 * {@code byName}: the sort is the name order, which needs the {@code en} collation or the stored key.
 */
public record ListQuery(JsonObject filter, JsonObject sort, boolean byName, Page page) {
  static final String DEFAULT_PERIOD = "14d";
  private static final Pattern RANGE = Pattern.compile("^(>=|>|<=|<)([+-]?((\\d+(\\.\\d*)?)|(\\.\\d+)))$");
  private static final Map<String, String> OPERATORS = Map.of(">=", "$gte", ">", "$gt", "<=", "$lte", "<", "$lt");
  private static final List<String> SEARCHED = List.of("fullName", "email", "mrn", "birthDate");

  /** Whether the filter is the clinic alone (its count is the clinic's total). */
  public boolean everyPatient() {
    return filter.size() == 1;
  }

  /** {@code query}: the envelope's query values; {@code collation}: whether the server sorts names itself. */
  public static ListQuery of(ListTables tables, String clinicId, JsonObject query, Page page, boolean collation) {
    Object refused = tables.refused().stream().filter(query::containsKey).findFirst().orElse(null);
    if (refused != null) {
      throw ServiceError.badRequest("query parameter " + refused + " is not supported");
    }
    String period = text(query, "period") == null ? DEFAULT_PERIOD : text(query, "period");
    JsonObject filter = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    List<JsonObject> groups = new ArrayList<>();
    String search = text(query, "search");
    if (search != null) {
      JsonArray any = new JsonArray();
      SEARCHED.forEach(field -> any.add(new JsonObject().put(field,
          new JsonObject().put("$regex", MongoJson.literalRegex(search)).put("$options", "i"))));
      groups.add(new JsonObject().put("$or", any));
    }
    addIds(filter, groups, values(query, "tags"), "tags", true);
    addIds(filter, groups, values(query, "sites"), "sites", false);
    if (Boolean.TRUE.equals(query.getValue("omitNonStandardRanges")) || "true".equals(text(query, "omitNonStandardRanges"))) {
      groups.add(new JsonObject().put("$or", new JsonArray()
          .add(new JsonObject().put("glycemicRanges", new JsonObject().put("$exists", false)))
          .add(new JsonObject().put("glycemicRanges", null))
          .add(new JsonObject().put("glycemicRanges.preset", "adaStandard"))));
    }
    String lastReviewed = text(query, "lastReviewed");
    if (lastReviewed != null) {
      filter.put("reviews.0.time", new JsonObject().put("$lte", MongoJson.date(MongoJson.parseDateTime("lastReviewed", lastReviewed))));
    }
    tables.ranges().forEach((name, range) -> {
      String value = text(query, name);
      if (value != null) {
        addRange(filter, name, range, value, period);
      }
    });
    if (!groups.isEmpty()) {
      filter.put("$and", new JsonArray(new ArrayList<>(groups)));
    }
    return sorted(tables, filter, text(query, "sort"), text(query, "sortType"), period, page, collation);
  }

  private static ListQuery sorted(ListTables tables, JsonObject filter, String sort, String sortType, String period, Page page,
                                  boolean collation) {
    if (sort == null) {
      sort = "+fullName";
    }
    if (sort.length() < 2 || (sort.charAt(0) != '+' && sort.charAt(0) != '-')) {
      throw ServiceError.badRequest("query parameter sort must be + or - and an attribute, got '" + sort + "'");
    }
    int direction = sort.charAt(0) == '-' ? -1 : 1;
    String attribute = sort.substring(1);
    JsonObject order = new JsonObject();
    boolean byName = false;
    switch (attribute) {
      case "fullName" -> {
        order.put(collation ? "fullName" : NameOrder.FULL_NAME_KEY, direction);
        byName = collation;
      }
      case "birthDate" -> order.put("birthDate", direction);
      case "lastReviewed" -> order.put("reviews.0.time", direction);
      default -> {
        if (sortType == null) {
          throw ServiceError.badRequest("query parameter sortType (" + String.join(" or ", tables.types()) + ") is required to sort by "
              + attribute);
        }
        ListTables.SummarySort summary = tables.summarySorts(sortType).get(attribute);
        if (summary == null) {
          throw ServiceError.badRequest("query parameter sort names an unknown attribute '" + attribute + "'");
        }
        String stats = "summary." + sortType + "Stats.";
        if (summary.flag() != null) {
          order.put(stats + summary.flag().replace("{period}", period), -1);
        }
        order.put(stats + summary.path().replace("{period}", period), direction);
      }
    }
    order.put("_id", 1);
    return new ListQuery(filter, order, byName, page);
  }

  private static void addIds(JsonObject filter, List<JsonObject> groups, List<String> values, String field, boolean all) {
    if (values == null || values.isEmpty()) {
      return;
    }
    JsonArray ids = new JsonArray();
    values.stream().filter(MongoJson::isObjectId).forEach(id -> ids.add(MongoJson.oid(id)));
    if (ids.isEmpty()) {
      // values that are no id ask for the patients without any (upstream)
      groups.add(new JsonObject().put("$or", new JsonArray()
          .add(new JsonObject().put(field, new JsonObject().put("$exists", false)))
          .add(new JsonObject().put(field, new JsonObject().put("$size", 0)))
          .add(new JsonObject().put(field, null))));
    } else if (all) {
      filter.put(field, new JsonObject().put("$all", ids));
    } else {
      filter.put(field + ".id", new JsonObject().put("$in", ids));
    }
  }

  private static void addRange(JsonObject filter, String name, ListTables.Range range, String value, String period) {
    String stats = "summary." + range.type() + "Stats.";
    if (range.kind() == ListTables.Range.Kind.NUMBER) {
      Matcher matcher = RANGE.matcher(value);
      if (!matcher.matches()) {
        throw ServiceError.badRequest("query parameter " + name + " must be a comparator (>=, >, <=, <) and a number, got '" + value + "'");
      }
      Number number = new BigDecimal(matcher.group(2).startsWith("+") ? matcher.group(2).substring(1) : matcher.group(2)).doubleValue();
      condition(filter, stats + "periods." + period + "." + range.field()).put(OPERATORS.get(matcher.group(1)), number);
    } else {
      Instant instant = MongoJson.parseDateTime(name, value);
      condition(filter, stats + "dates." + range.field())
          .put(range.kind() == ListTables.Range.Kind.DATE_FROM ? "$gte" : "$lt", MongoJson.date(instant));
    }
  }

  private static JsonObject condition(JsonObject filter, String path) {
    if (!(filter.getValue(path) instanceof JsonObject existing)) {
      JsonObject created = new JsonObject();
      filter.put(path, created);
      return created;
    }
    return existing;
  }

  /** The values given (an empty one counts: it is no id), null when the parameter is absent. */
  private static List<String> values(JsonObject query, String name) {
    Object value = query.getValue(name);
    if (value == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> values.add(String.valueOf(item).trim()));
    } else {
      for (String part : value.toString().split(",", -1)) {
        values.add(part.trim());
      }
    }
    return values;
  }

  private static String text(JsonObject query, String name) {
    Object value = query.getValue(name);
    String text = value == null ? null : value.toString().trim();
    return text == null || text.isEmpty() ? null : text;
  }
}
