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
      return value == null ? null : parseInstant(value.toString()).toString();
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
      return value == null ? null : parseInstant(value.toString());
    }
    return stored == null ? null : parseInstant(stored.toString());
  }

  /**
   * {@link Instant#parse}, read directly when the text has the shape the Mongo client's codec and
   * {@link #date} write ({@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, up to 9 fraction digits): every
   * document read maps its dates through here, and the general parser was most of the cost of
   * mapping a page of patients.
   */
  static Instant parseInstant(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':' || (length > 20 && text.charAt(19) != '.')
        || length == 21) {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int fraction = length > 20 ? digits(text, 20, length - 1) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) {
      return Instant.parse(text);
    }
    int nanos = fraction;
    for (int scale = length - 21; scale < 9; scale++) {
      nanos *= 10;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The number the decimal digits in {@code [from, to)} spell, or -1 when one is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
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
