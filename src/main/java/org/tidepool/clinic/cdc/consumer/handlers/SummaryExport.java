package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * A platform summary (a {@code data.summary} document, or the summary service's answer) as the
 * {@code patientSummary.v1} statistics of its type, with upstream's export rules for which values
 * are set (upstream-clinic-worker.md §2.8):
 * <ul>
 *   <li>record and minute counts, days and hours with data, average daily records: always, with
 *       their {@code has…} flag set when not 0;</li>
 *   <li>CGM: with records, the CGM use percent and average glucose; the time-in-range percents only
 *       when the period is 1 day with CGM use above 70 %, or longer with more than 1440 minutes of
 *       CGM use; GMI only above 70 % CGM use; SD and CV with records;</li>
 *   <li>BGM: with records, the percents and average glucose; SD and CV only with at least 30
 *       records on at least 7 days;</li>
 *   <li>a delta goes with its value, and only when the previous period ({@code offsetPeriods}, when
 *       the document has them) meets the same rule.</li>
 * </ul>
 * Dates absent from the summary are left out ({@code has…} false). Upstream turns a missing date
 * into 1970-01-01 with {@code has…} true; a list sorted by last data must not see such patients first.
 */
final class SummaryExport {
  static final String CGM = "cgm";
  static final String BGM = "bgm";
  private static final Pattern DAYS = Pattern.compile("(\\d+)d");
  private static final long MINUTES_PER_DAY = 1440;
  private static final double CGM_USE_RULE = 0.7;
  private static final int BGM_SPREAD_RECORDS = 30;
  private static final int BGM_SPREAD_DAYS = 7;

  /** Our name of each range → the platform's. */
  private static final Map<String, String> RANGES = Map.of(
      "TimeInVeryLow", "inVeryLow", "TimeInLow", "inLow", "TimeInAnyLow", "inAnyLow", "TimeInTarget", "inTarget",
      "TimeInHigh", "inHigh", "TimeInVeryHigh", "inVeryHigh", "TimeInExtremeHigh", "inExtremeHigh", "TimeInAnyHigh", "inAnyHigh");
  private static final List<String> CONFIG = List.of("schemaVersion", "highGlucoseThreshold", "veryHighGlucoseThreshold",
      "lowGlucoseThreshold", "veryLowGlucoseThreshold");

  private SummaryExport() {}

  /** {@code cgmStats} or {@code bgmStats} for the summary's type. */
  static String statsField(String type) {
    return type + "Stats";
  }

  /**
   * The statistics of a summary of type cgm or bgm; {@code uploadFromUpdated}: upstream's
   * initial summary takes {@code lastUploadDate} from {@code lastUpdatedDate}.
   */
  static JsonObject statistics(String type, JsonObject summary, boolean uploadFromUpdated) {
    JsonObject stats = new JsonObject();
    String id = idOf(summary);
    if (id != null) {
      stats.put("id", id);
    }
    stats.put("config", config(summary.getJsonObject("config", new JsonObject())));
    stats.put("dates", dates(summary.getJsonObject("dates", new JsonObject()), uploadFromUpdated));
    JsonObject periods = periodsOf(summary, "periods");
    JsonObject previous = periodsOf(summary, "offsetPeriods");
    if (periods != null) {
      JsonObject exported = new JsonObject();
      for (String key : periods.fieldNames()) {
        Matcher days = DAYS.matcher(key);
        if (periods.getValue(key) instanceof JsonObject period && days.matches()) {
          JsonObject before = previous == null ? null : previous.getJsonObject(key, new JsonObject());
          int length = Integer.parseInt(days.group(1));
          exported.put(key, CGM.equals(type) ? cgmPeriod(period, before, length) : bgmPeriod(period, before));
        }
      }
      stats.put("periods", exported);
    }
    return stats;
  }

  private static String idOf(JsonObject summary) {
    Object id = summary.getValue("_id", summary.getValue("id"));
    if (id instanceof JsonObject object && object.getValue("$oid") instanceof String hex) {
      return hex;
    }
    return id instanceof String text ? text : null;
  }

  private static JsonObject periodsOf(JsonObject summary, String field) {
    if (summary.getValue(field) instanceof JsonObject periods) {
      return periods;
    }
    return summary.getValue("stats") instanceof JsonObject stats && stats.getValue(field) instanceof JsonObject periods ? periods : null;
  }

  private static JsonObject config(JsonObject config) {
    JsonObject exported = new JsonObject();
    for (String field : CONFIG) {
      // one platform version wrote VeryLowGlucoseThreshold with a capital
      Object value = config.getValue(field, config.getValue(Character.toUpperCase(field.charAt(0)) + field.substring(1)));
      if (value instanceof Number) {
        exported.put(field, value);
      }
    }
    return exported;
  }

  private static JsonObject dates(JsonObject dates, boolean uploadFromUpdated) {
    JsonObject exported = new JsonObject();
    Instant lastUpdated = instant(dates.getValue("lastUpdatedDate"));
    if (lastUpdated != null) {
      exported.put("lastUpdatedDate", lastUpdated.toString());
    }
    exported.put("lastUpdatedReason", strings(dates.getValue("lastUpdatedReason")));
    exported.put("outdatedReason", strings(dates.getValue("outdatedReason")));
    flagged(exported, "lastUploadDate", uploadFromUpdated ? lastUpdated : instant(dates.getValue("lastUploadDate")));
    flagged(exported, "firstData", instant(dates.getValue("firstData")));
    flagged(exported, "lastData", instant(dates.getValue("lastData")));
    flagged(exported, "outdatedSince", instant(dates.getValue("outdatedSince")));
    return exported;
  }

  private static void flagged(JsonObject dates, String field, Instant value) {
    dates.put("has" + Character.toUpperCase(field.charAt(0)) + field.substring(1), value != null);
    if (value != null) {
      dates.put(field, value.toString());
    }
  }

  private static JsonObject cgmPeriod(JsonObject period, JsonObject previous, int days) {
    Figures now = new Figures(period);
    Figures delta = new Figures(period.getJsonObject("delta", new JsonObject()));
    Figures before = previous == null ? null : new Figures(previous);
    JsonObject out = counts(now, delta, true);
    counted(out, "TimeCGMUse", now.range("cgmUse"), delta.range("cgmUse"), true);
    out.put("hoursWithData", now.integer("hoursWithData")).put("hoursWithDataDelta", delta.integer("hoursWithData"));
    if (now.records() == 0) {
      return out;
    }
    out.put("hasTimeCGMUsePercent", true).put("timeCGMUsePercent", now.range("cgmUse").number("percent"));
    if (rangesShown(now, days)) {
      boolean withDelta = before == null || rangesShown(before, days);
      RANGES.forEach((ours, theirs) -> percent(out, ours, now.range(theirs), withDelta ? delta.range(theirs) : null));
    }
    out.put("hasAverageGlucoseMmol", true).put("averageGlucoseMmol", now.averageGlucose());
    putDelta(out, "averageGlucoseMmolDelta", delta.averageGlucose(), before == null || before.records() != 0);
    if (cgmUse(now) > CGM_USE_RULE) {
      out.put("hasGlucoseManagementIndicator", true).put("glucoseManagementIndicator", now.gmi());
      putDelta(out, "glucoseManagementIndicatorDelta", delta.gmi(), before == null || cgmUse(before) > CGM_USE_RULE);
    }
    spread(out, now, delta, before == null || before.records() != 0);
    return out;
  }

  private static JsonObject bgmPeriod(JsonObject period, JsonObject previous) {
    Figures now = new Figures(period);
    Figures delta = new Figures(period.getJsonObject("delta", new JsonObject()));
    Figures before = previous == null ? null : new Figures(previous);
    JsonObject out = counts(now, delta, false);
    if (now.records() == 0) {
      return out;
    }
    boolean withDelta = before == null || before.records() != 0;
    RANGES.forEach((ours, theirs) -> percent(out, ours, now.range(theirs), withDelta ? delta.range(theirs) : null));
    out.put("hasAverageGlucoseMmol", true).put("averageGlucoseMmol", now.averageGlucose());
    putDelta(out, "averageGlucoseMmolDelta", delta.averageGlucose(), withDelta);
    if (bgmSpreadShown(now)) {
      spread(out, now, delta, before == null || bgmSpreadShown(before));
    }
    return out;
  }

  /** The values set whatever the data: record (and, for CGM, minute) counts, days with data, daily records. */
  private static JsonObject counts(Figures now, Figures delta, boolean minutes) {
    JsonObject out = new JsonObject();
    RANGES.forEach((ours, theirs) -> counted(out, ours, now.range(theirs), delta.range(theirs), minutes));
    out.put("hasTotalRecords", now.records() != 0).put("totalRecords", now.records())
        .put("totalRecordsDelta", delta.range("cgmUse").integer("records"));
    double daily = now.number("averageDailyRecords", "avgDailyRecords");
    out.put("hasAverageDailyRecords", daily != 0).put("averageDailyRecords", daily)
        .put("averageDailyRecordsDelta", delta.number("averageDailyRecords", "avgDailyRecords"));
    out.put("daysWithData", now.integer("daysWithData")).put("daysWithDataDelta", delta.integer("daysWithData"));
    return out;
  }

  private static void counted(JsonObject out, String name, Figures range, Figures delta, boolean minutes) {
    String field = Character.toLowerCase(name.charAt(0)) + name.substring(1);
    out.put("has" + name + "Records", range.integer("records") != 0).put(field + "Records", range.integer("records"))
        .put(field + "RecordsDelta", delta.integer("records"));
    if (minutes) {
      out.put("has" + name + "Minutes", range.integer("minutes") != 0).put(field + "Minutes", range.integer("minutes"))
          .put(field + "MinutesDelta", delta.integer("minutes"));
    }
  }

  private static void percent(JsonObject out, String name, Figures range, Figures delta) {
    String field = Character.toLowerCase(name.charAt(0)) + name.substring(1) + "Percent";
    out.put("has" + name + "Percent", true).put(field, range.number("percent"));
    if (delta != null) {
      out.put(field + "Delta", delta.number("percent"));
    }
  }

  private static void spread(JsonObject out, Figures now, Figures delta, boolean withDelta) {
    out.put("standardDeviation", now.number("standardDeviation", "SD"))
        .put("coefficientOfVariation", now.number("coefficientOfVariation", "CV"));
    putDelta(out, "standardDeviationDelta", delta.number("standardDeviation", "SD"), withDelta);
    putDelta(out, "coefficientOfVariationDelta", delta.number("coefficientOfVariation", "CV"), withDelta);
  }

  private static void putDelta(JsonObject out, String field, double value, boolean shown) {
    if (shown) {
      out.put(field, value);
    }
  }

  private static boolean rangesShown(Figures period, int days) {
    return period.records() != 0
        && (days <= 1 ? cgmUse(period) > CGM_USE_RULE : period.range("cgmUse").integer("minutes") > MINUTES_PER_DAY);
  }

  private static boolean bgmSpreadShown(Figures period) {
    return period.records() >= BGM_SPREAD_RECORDS && period.integer("daysWithData") >= BGM_SPREAD_DAYS;
  }

  private static double cgmUse(Figures period) {
    return period.range("cgmUse").number("percent");
  }

  private static JsonArray strings(Object value) {
    JsonArray strings = new JsonArray();
    if (value instanceof JsonArray array) {
      array.stream().filter(String.class::isInstance).forEach(strings::add);
    }
    return strings;
  }

  /** A date as a change event ({@code $date}) or the summary service (RFC 3339 text) gives it; null when absent. */
  static Instant instant(Object value) {
    try {
      String text = value instanceof JsonObject || value instanceof String ? MongoJson.dateText(value) : null;
      return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The numbers of one period (or range), under the summary service's names or the platform's stored ones. */
  private record Figures(JsonObject values) {
    Figures range(String name) {
      return new Figures(values.getValue(name) instanceof JsonObject range ? range : new JsonObject());
    }

    int records() {
      return range("cgmUse").integer("records");
    }

    double averageGlucose() {
      return number("averageGlucoseMmol", "avgGlucose");
    }

    double gmi() {
      return number("glucoseManagementIndicator", "GMI");
    }

    int integer(String field) {
      return values.getValue(field) instanceof Number number ? number.intValue() : 0;
    }

    double number(String field) {
      return number(field, field);
    }

    double number(String field, String storedName) {
      Object value = values.getValue(field, values.getValue(storedName));
      return value instanceof Number number ? number.doubleValue() : 0;
    }
  }
}
