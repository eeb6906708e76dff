package org.tidepool.clinic.patientlist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collector;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.patients.Patient;
import org.tidepool.clinic.patients.PatientDocuments;
import org.tidepool.clinic.patients.PatientRepository;

/**
 * The TIDE report (§3.6): the clinic's patients with all the given tags (and any of the given
 * sites, TidepoolApi PR #201), read once as a stream; those with CGM data since the cutoff go to
 * the first of the categories, in their order, that holds them (100 in all); the rest with no
 * recent data (none at all, or older than 8 h and before the cutoff or with a Dexcom connection
 * that is not connected) to {@code noData}, oldest first (50). Each document is classified as it
 * arrives and only the candidates that can be placed are kept ({@link TideCandidates}: at most 100
 * a category and 150 for {@code noData}); only the chosen are mapped to the reply.
 */
public final class TideReport {
  static final int CATEGORY_LIMIT = 100;
  static final int NO_DATA_LIMIT = 50;
  static final Duration RECENT = Duration.ofHours(8);
  private static final List<String> METRICS = List.of("averageGlucoseMmol", "glucoseManagementIndicator", "timeInVeryLowPercent",
      "timeInAnyLowPercent", "timeInLowPercent", "timeInTargetPercentDelta", "timeInHighPercent", "timeInVeryHighPercent",
      "timeInExtremeHighPercent", "timeInAnyHighPercent", "timeInTargetPercent", "timeCGMUsePercent", "timeCGMUseMinutes");

  /**
   * Documents a reply of the stream carries: under 1 MB of projected patients (a reply past
   * 48 MB, some 50,000 patients in one, cannot be read by the driver).
   */
  public static final int BATCH = 1_000;

  private final MongoClient mongo;
  private final int batchSize;

  public TideReport(MongoClient mongo) {
    this(mongo, BATCH);
  }

  TideReport(MongoClient mongo, int batchSize) {
    this.mongo = mongo;
    this.batchSize = batchSize;
  }

  /** What the report is asked for; {@code categories} empty: the default ones. */
  public record Request(String clinicId, String period, List<String> tags, List<String> sites, Instant lastDataCutoff,
                        List<String> categories, boolean excludeNoData) {}

  /** The report over the selected patients, streamed {@code batchSize} documents a reply, in no order. */
  public Future<JsonObject> report(Request request, Instant now) {
    List<String> names = request.categories().isEmpty() ? TideCategory.DEFAULT_ORDER : request.categories();
    List<TideCategory> categories = names.stream().map(TideCategory.ALL::get).toList();
    return read(mongo, request, batchSize)
        .collect(Collector.of(() -> new TideCandidates(request, categories, now), TideCandidates::offer, (kept, more) -> kept))
        .map(candidates -> build(request, candidates.place()));
  }

  /** The one read of the report: the selection with the report's fields, as a stream of batches. */
  public static ReadStream<JsonObject> read(MongoClient mongo, Request request, int batchSize) {
    return mongo.findBatchWithOptions(PatientRepository.COLLECTION, selection(request),
        new FindOptions().setFields(fields(request.period())).setBatchSize(batchSize));
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

  /**
   * What the report reads of them: of the period only the metrics it shows (every category's is one
   * of them), not the period's other 90-odd fields, which were most of the bytes read and decoded.
   */
  public static JsonObject fields(String period) {
    JsonObject fields = new JsonObject().put("userId", 1).put("email", 1).put("fullName", 1).put("tags", 1).put("reviews", 1)
        .put("dataSources", 1).put("summary.cgmStats.dates.lastData", 1);
    METRICS.forEach(metric -> fields.put("summary.cgmStats.periods." + period + "." + metric, 1));
    return fields;
  }

  private static JsonObject build(Request request, TideCandidates.Placement placement) {
    JsonObject results = new JsonObject();
    JsonObject filters = new JsonObject();
    for (TideCandidates.Placed placed : placement.categories()) {
      results.put(placed.category().name(), entries(placed.patients()));
      if (placed.category().filter() != null) {
        filters.put(placed.category().name(), placed.category().filter());
      }
    }
    if (placement.noData() != null) {
      results.put("noData", entries(placement.noData()));
    }
    return new JsonObject().put("config", config(request, filters)).put("results", results);
  }

  private static JsonArray entries(List<TideHolder> patients) {
    JsonArray entries = new JsonArray();
    for (TideHolder patient : patients) {
      JsonObject entry = new JsonObject();
      JsonObject metrics = patient.metrics();
      METRICS.stream().filter(metric -> TideCategory.present(metrics, metric)).forEach(metric -> entry.put(metric, metrics.getValue(metric)));
      if (patient.lastData() != null) {
        entry.put("lastData", patient.lastData().toString());
      }
      entries.add(entry.put("patient", patientJson(PatientDocuments.fromDocument(patient.document()))));
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

  private static JsonArray ids(List<String> ids) {
    JsonArray oids = new JsonArray();
    ids.forEach(id -> oids.add(MongoJson.oid(id)));
    return oids;
  }

}
