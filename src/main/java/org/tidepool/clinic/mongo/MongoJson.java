package org.tidepool.clinic.mongo;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.bson.types.ObjectId;
import org.tidepool.clinic.common.ServiceError;

/**
 * How BSON ids and dates look in the Vert.x Mongo client's JSON. Ids are always written as
 * explicit {@code {"$oid": ...}} so that they are stored as ObjectIds, whatever the client's
 * {@code useObjectId} setting; dates as {@code {"$date": ISO-8601}}.
 */
public final class MongoJson {
  private static final java.util.Set<Integer> DUPLICATE_KEY_CODES = java.util.Set.of(11000, 11001, 12582);
  private static final Pattern OBJECT_ID = Pattern.compile("^[a-f0-9]{24}$");

  private MongoJson() {}

  public static String newId() {
    return new ObjectId().toHexString();
  }

  public static JsonObject oid(String hex) {
    return new JsonObject().put("$oid", hex);
  }

  /** The hex of an id as the client returns it: a plain string or {@code {"$oid": hex}}. */
  public static String hex(Object id) {
    if (id instanceof JsonObject object) {
      return object.getString("$oid");
    }
    return id == null ? null : id.toString();
  }

  public static boolean isObjectId(String value) {
    return value != null && OBJECT_ID.matcher(value).matches();
  }

  /** The id in a request path, or a 400 naming the parameter. */
  public static String requireObjectId(String name, String value) {
    if (!isObjectId(value)) {
      throw ServiceError.badRequest(name + " must be a 24-character lower-case hex id, got '" + value + "'");
    }
    return value;
  }

  public static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
  }

  /** Puts {@code field} >= {@code from} (inclusive) and < {@code before} (exclusive) into {@code query}; either may be null, nothing when both are. */
  public static void putDateRange(JsonObject query, String field, Instant from, Instant before) {
    JsonObject range = new JsonObject();
    if (from != null) {
      range.put("$gte", date(from));
    }
    if (before != null) {
      range.put("$lt", date(before));
    }
    if (!range.isEmpty()) {
      query.put(field, range);
    }
  }

  /** The ISO-8601 text of a stored date, or null. */
  public static String dateText(Object stored) {
    if (stored instanceof JsonObject object) {
      Object value = object.getValue("$date");
      if (value instanceof Number millis) {
        return Instant.ofEpochMilli(millis.longValue()).toString();
      }
      return value == null ? null : Instant.parse(value.toString()).toString();
    }
    return stored == null ? null : stored.toString();
  }

  /** The instant of a stored date ({@code {$date: millis | text}} or text), parsed once. */
  public static Instant instant(Object stored) {
    if (stored instanceof JsonObject object) {
      Object value = object.getValue("$date");
      if (value instanceof Number millis) {
        return Instant.ofEpochMilli(millis.longValue());
      }
      return value == null ? null : Instant.parse(value.toString());
    }
    return stored == null ? null : Instant.parse(stored.toString());
  }

  /** A date-time query parameter, or a 400 naming it. */
  public static Instant parseDateTime(String name, String value) {
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ServiceError.badRequest(name + " must be an RFC 3339 date-time, got '" + value + "'");
    }
  }

  /** A regular expression matching {@code text} literally (user input in a $regex). */
  public static String literalRegex(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      if ("\\^$.|?*+()[]{}/-".indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /**
   * Whether the server answered the command with an error (so it wrote nothing), as against a
   * failure on the way (a lost connection, a timeout) after which the write may have happened.
   */
  public static boolean refusedByServer(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof com.mongodb.MongoServerException) {
        return true;
      }
    }
    return false;
  }

  /** Whether a failure is MongoDB's duplicate-key error (11000; 11001 and 12582 from older servers and mongos). */
  public static boolean isDuplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof com.mongodb.MongoException mongo && DUPLICATE_KEY_CODES.contains(mongo.getCode())) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains("E11000")) {
        return true;
      }
    }
    return false;
  }
}
