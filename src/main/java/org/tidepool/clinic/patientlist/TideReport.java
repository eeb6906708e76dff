package org.tidepool.clinic.patientlist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tidepool.clinic.mongo.IdPages;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.patients.Patient;
import org.tidepool.clinic.patients.PatientDocuments;
import org.tidepool.clinic.patients.PatientRepository;

/**
 * The TIDE report (§3.6): the clinic's patients with all the given tags (and any of the given
 * sites, TidepoolApi PR #201), read once; those with CGM data since the cutoff go to the first of
 * the categories, in their order, that holds them (100 in all); the rest with no recent data
 * (none at all, or older than 8 h and before the cutoff or with a Dexcom connection that is not
 * connected) to {@code noData}, oldest first (50).
 */
public final class TideReport {
  static final int CATEGORY_LIMIT = 100;
  static final int NO_DATA_LIMIT = 50;
  static final Duration RECENT = Duration.ofHours(8);
  private static final List<String> METRICS = List.of("averageGlucoseMmol", "glucoseManagementIndicator", "timeInVeryLowPercent",
      "timeInAnyLowPercent", "timeInLowPercent", "timeInTargetPercentDelta", "timeInHighPercent", "timeInVeryHighPercent",
      "timeInExtremeHighPercent", "timeInAnyHighPercent", "timeInTargetPercent", "timeCGMUsePercent", "timeCGMUseMinutes");

  private final MongoClient mongo;

  private static final int PAGE = 10_000;
  private final int pageSize;

  public TideReport(MongoClient mongo) {
    this(mongo, PAGE);
  }

  TideReport(MongoClient mongo, int pageSize) {
    this.mongo = mongo;
    this.pageSize = pageSize;
  }

  /** What the report is asked for; {@code categories} empty: the default ones. */
  public record Request(String clinicId, String period, List<String> tags, List<String> sites, Instant lastDataCutoff,
                        List<String> categories, boolean excludeNoData) {}

  /**
   * The report over the selected patients, read {@value #PAGE} at a time: a reply past 16 MB
   * (some 50,000 patients in one reply of the embedded store) cannot be read.
   */
  public Future<JsonObject> report(Request request, Instant now) {
    List<Patient> patients = new ArrayList<>();
    return IdPages.forEach(mongo, PatientRepository.COLLECTION, selection(request), fields(request.period()), pageSize, page -> {
      page.forEach(document -> patients.add(PatientDocuments.fromDocument(document)));
      return Future.succeededFuture();
    }).map(read -> build(request, patients, now));
  }

  /** The patients the report considers: the clinic's with all the tags and any of the sites. */
  public static JsonObject selection(Request request) {
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(request.clinicId()))
        .put("tags", new JsonObject().put("$all", ids(request.tags())));
    if (!request.sites().isEmpty()) {
      query.put("sites.id", new JsonObject().put("$in", ids(request.sites())));
    }
    return query;
  }

  /** What the report reads of them. */
  public static JsonObject fields(String period) {
    return new JsonObject().put("userId", 1).put("email", 1).put("fullName", 1).put("tags", 1).put("reviews", 1)
        .put("dataSources", 1).put("summary.cgmStats.dates.lastData", 1).put("summary.cgmStats.periods." + period, 1);
  }

  private JsonObject build(Request request, List<Patient> patients, Instant now) {
    List<String> categories = request.categories().isEmpty() ? TideCategory.DEFAULT_ORDER : request.categories();
    JsonObject results = new JsonObject();
    JsonObject filters = new JsonObject();
    Set<String> placed = new HashSet<>();
    int remaining = CATEGORY_LIMIT;
    for (String name : categories) {
      TideCategory category = TideCategory.ALL.get(name);
      List<Patient> members = patients.stream()
          .filter(patient -> !placed.contains(patient.id()) && recent(patient, request.lastDataCutoff())
              && category.holds().test(period(patient, request.period())))
          .sorted(order(category, request.period())).limit(Math.max(remaining, 0)).toList();
      members.forEach(patient -> placed.add(patient.id()));
      remaining -= members.size();
      results.put(name, entries(members, request.period()));
      if (category.filter() != null) {
        filters.put(name, category.filter());
      }
    }
    if (!request.excludeNoData()) {
      Instant stale = now.minus(RECENT);
      List<Patient> noData = patients.stream()
          .filter(patient -> !placed.contains(patient.id()) && noRecentData(patient, request.lastDataCutoff(), stale))
          .sorted(Comparator.comparing((Patient patient) -> lastData(patient), Comparator.nullsFirst(Comparator.naturalOrder()))
              .thenComparing(Patient::id))
          .limit(NO_DATA_LIMIT).toList();
      results.put("noData", entries(noData, request.period()));
    }
    return new JsonObject().put("config", config(request, filters)).put("results", results);
  }

  private static boolean recent(Patient patient, Instant cutoff) {
    Instant lastData = lastData(patient);
    return lastData != null && !lastData.isBefore(cutoff);
  }

  private static boolean noRecentData(Patient patient, Instant cutoff, Instant stale) {
    Instant lastData = lastData(patient);
    if (lastData == null) {
      return true;
    }
    boolean dexcomNotConnected = patient.dataSources() != null && patient.dataSources().stream()
        .anyMatch(source -> "dexcom".equals(source.providerName()) && !"connected".equals(source.state()));
    return lastData.isBefore(stale) && (lastData.isBefore(cutoff) || dexcomNotConnected);
  }

  private static Comparator<Patient> order(TideCategory category, String period) {
    Comparator<Patient> byMetric = Comparator.comparingDouble(patient -> TideCategory.value(period(patient, period), category.metric()));
    return (category.descending() ? byMetric.reversed() : byMetric).thenComparing(Patient::id);
  }

  private static JsonArray entries(List<Patient> patients, String period) {
    JsonArray entries = new JsonArray();
    for (Patient patient : patients) {
      JsonObject entry = new JsonObject();
      JsonObject metrics = period(patient, period);
      METRICS.stream().filter(metric -> TideCategory.present(metrics, metric)).forEach(metric -> entry.put(metric, metrics.getValue(metric)));
      Instant lastData = lastData(patient);
      if (lastData != null) {
        entry.put("lastData", lastData.toString());
      }
      entries.add(entry.put("patient", patientJson(patient)));
    }
    return entries;
  }

  private static JsonObject patientJson(Patient patient) {
    JsonObject full = org.tidepool.clinic.patients.PatientJson.toJson(patient);
    JsonObject json = new JsonObject().put("id", patient.userId()).put("tags", full.getValue("tags", new JsonArray()));
    for (String field : List.of("email", "fullName", "reviews", "dataSources")) {
      if (full.containsKey(field)) {
        json.put(field, full.getValue(field));
      }
    }
    return json;
  }

  private static JsonObject config(Request request, JsonObject filters) {
    JsonObject config = new JsonObject().put("schemaVersion", 2).put("clinicId", request.clinicId()).put("period", request.period())
        .put("lastDataCutoff", request.lastDataCutoff().toString())
        .put("highGlucoseThreshold", 10.0).put("veryHighGlucoseThreshold", 13.9).put("extremeHighGlucoseThreshold", 19.4)
        .put("lowGlucoseThreshold", 3.9).put("veryLowGlucoseThreshold", 3.0)
        .put("tags", new JsonArray(request.tags())).put("filters", filters);
    if (!request.sites().isEmpty()) {
      config.put("sites", new JsonArray(request.sites()));
    }
    return config;
  }

  private static JsonObject period(Patient patient, String period) {
    return stats(patient) != null && stats(patient).getValue("periods") instanceof JsonObject periods
        && periods.getValue(period) instanceof JsonObject metrics ? metrics : null;
  }

  private static Instant lastData(Patient patient) {
    JsonObject stats = stats(patient);
    return stats != null && stats.getValue("dates") instanceof JsonObject dates && dates.getValue("lastData") != null
        ? MongoJson.instant(dates.getValue("lastData")) : null;
  }

  private static JsonObject stats(Patient patient) {
    return patient.summary() != null && patient.summary().getValue("cgmStats") instanceof JsonObject stats ? stats : null;
  }

  private static JsonArray ids(List<String> ids) {
    JsonArray oids = new JsonArray();
    ids.forEach(id -> oids.add(MongoJson.oid(id)));
    return oids;
  }

}
