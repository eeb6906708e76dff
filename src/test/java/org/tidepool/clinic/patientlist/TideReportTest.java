package org.tidepool.clinic.patientlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.store.Envelope;

/** The TIDE report (§3.6) over patients written straight into the store. */
class TideReportTest {
  static final String TAG = "aaaaaaaaaaaaaaaaaaaaaaa1";
  static final String OTHER_TAG = "aaaaaaaaaaaaaaaaaaaaaaa2";
  static final String SITE = "bbbbbbbbbbbbbbbbbbbbbbb1";
  static final Instant NOW = Instant.now();
  static final Instant CUTOFF = NOW.minus(Duration.ofDays(2));
  static EmbeddedStore embedded;
  static int users;

  @BeforeAll
  static void start() {
    embedded = new EmbeddedStore();
  }

  @AfterAll
  static void stop() {
    embedded.close();
  }

  @Test
  void eachPatientIsInTheFirstCategoryThatHoldsItAndTheRestWithoutRecentDataAreNoData() {
    String clinic = MongoJson.newId();
    insert(clinic, "very low, also any low", metrics(0.02, 0.05, 0.0, 0.0, 0.75, 0.0, 0.9), NOW.minusSeconds(3600), SITE);
    insert(clinic, "very low more", metrics(0.03, 0.05, 0.0, 0.0, 0.75, 0.0, 0.9), NOW.minusSeconds(3600), null);
    insert(clinic, "any low", metrics(0.0, 0.05, 0.0, 0.0, 0.75, 0.0, 0.9), NOW.minusSeconds(3600), null);
    insert(clinic, "very high", metrics(0.0, 0.0, 0.10, 0.30, 0.60, 0.0, 0.9), NOW.minusSeconds(3600), null);
    insert(clinic, "any high", metrics(0.0, 0.0, 0.0, 0.30, 0.70, 0.0, 0.9), NOW.minusSeconds(3600), null);
    insert(clinic, "dropped", metrics(0.0, 0.0, 0.0, 0.0, 0.72, -0.20, 0.9), NOW.minusSeconds(3600), null);
    insert(clinic, "little cgm", metrics(0.0, 0.0, 0.0, 0.0, 0.72, 0.0, 0.5), NOW.minusSeconds(3600), null);
    insert(clinic, "on target", metrics(0.0, 0.0, 0.0, 0.0, 0.90, 0.0, 0.9), NOW.minusSeconds(3600), SITE);
    insert(clinic, "in between", metrics(0.0, 0.0, 0.0, 0.0, 0.65, 0.0, 0.9), NOW.minusSeconds(3600), null);
    insert(clinic, "old data", metrics(0.05, 0.0, 0.0, 0.0, 0.9, 0.0, 0.9), NOW.minus(Duration.ofDays(5)), null);
    insert(clinic, "no summary", null, null, SITE);
    insertTagged(clinic, "other tag", OTHER_TAG, metrics(0.05, 0.0, 0.0, 0.0, 0.9, 0.0, 0.9), NOW.minusSeconds(3600));

    JsonObject report = report(clinic, null, null, false);
    JsonObject results = report.getJsonObject("results");
    assertThat(results.fieldNames()).containsExactlyInAnyOrder("timeInVeryLowPercent", "timeInAnyLowPercent", "timeInVeryHighPercent",
        "timeInAnyHighPercent", "dropInTimeInTargetPercent", "timeCGMUsePercent", "meetingTargets", "noData");
    assertThat(names(results, "timeInVeryLowPercent")).containsExactly("very low more", "very low, also any low");
    assertThat(names(results, "timeInAnyLowPercent")).containsExactly("any low");
    assertThat(names(results, "timeInVeryHighPercent")).containsExactly("very high");
    assertThat(names(results, "timeInAnyHighPercent")).containsExactly("any high");
    assertThat(names(results, "dropInTimeInTargetPercent")).containsExactly("dropped");
    assertThat(names(results, "timeCGMUsePercent")).containsExactly("little cgm");
    assertThat(names(results, "meetingTargets")).containsExactly("on target");
    assertThat(names(results, "noData")).containsExactly("no summary", "old data");
    JsonObject entry = results.getJsonArray("timeInVeryLowPercent").getJsonObject(0);
    assertThat(entry.getDouble("timeInVeryLowPercent")).isEqualTo(0.03);
    assertThat(entry.getString("lastData")).isNotNull();
    assertThat(entry.getJsonObject("patient").getJsonArray("tags")).containsExactly(TAG);
    JsonObject config = report.getJsonObject("config");
    assertThat(config.getInteger("schemaVersion")).isEqualTo(2);
    assertThat(config.getString("period")).isEqualTo("14d");
    assertThat(config.getJsonObject("filters").getString("timeInVeryLowPercent")).isEqualTo(">0.01");
    assertThat(config.getDouble("veryLowGlucoseThreshold")).isEqualTo(3.0);
  }

  @Test
  void categoriesAreTheOnesAskedForInTheirOrderAndSitesNarrowThePatients() {
    String clinic = MongoJson.newId();
    insert(clinic, "low in target", metrics(0.03, 0.05, 0.0, 0.0, 0.5, 0.0, 0.9), NOW.minusSeconds(60), SITE);
    insert(clinic, "elsewhere", metrics(0.03, 0.05, 0.0, 0.0, 0.4, 0.0, 0.9), NOW.minusSeconds(60), null);
    JsonObject results = report(clinic, List.of("timeInTargetPercent", "timeInVeryLowPercent"), List.of(SITE), true).getJsonObject("results");
    assertThat(results.fieldNames()).containsExactlyInAnyOrder("timeInTargetPercent", "timeInVeryLowPercent");
    assertThat(names(results, "timeInTargetPercent")).containsExactly("low in target");
    assertThat(names(results, "timeInVeryLowPercent")).isEmpty();
  }

  @Test
  void atMostAHundredPatientsInCategoriesAndFiftyWithoutData() {
    String clinic = MongoJson.newId();
    for (int i = 0; i < 105; i++) {
      insert(clinic, "low " + (1000 + i), metrics(0.02 + i / 10000.0, 0.0, 0.0, 0.0, 0.9, 0.0, 0.9), NOW.minusSeconds(60), null);
    }
    insert(clinic, "any low", metrics(0.0, 0.05, 0.0, 0.0, 0.75, 0.0, 0.9), NOW.minusSeconds(60), null);
    for (int i = 0; i < 55; i++) {
      insert(clinic, "stale " + (1000 + i), metrics(0.0, 0.0, 0.0, 0.0, 0.9, 0.0, 0.9), NOW.minus(Duration.ofDays(10 + i)), null);
    }
    JsonObject results = report(clinic, null, null, false).getJsonObject("results");
    List<String> low = names(results, "timeInVeryLowPercent");
    assertThat(low).hasSize(100);
    assertThat(low.get(0)).isEqualTo("low 1104");
    assertThat(names(results, "timeInAnyLowPercent")).isEmpty();
    List<String> stale = names(results, "noData");
    assertThat(stale).hasSize(50);
    assertThat(stale.get(0)).isEqualTo("stale 1054"); // oldest first
  }

  @Test
  void aReportReadInPagesIsTheReportReadAtOnce() {
    String clinic = MongoJson.newId();
    for (int i = 0; i < 23; i++) {
      insert(clinic, "paged " + (1000 + i), metrics(0.02 + i / 10000.0, 0.0, 0.0, 0.0, 0.9, 0.0, 0.9), NOW.minusSeconds(60 + i),
          i % 2 == 0 ? SITE : null);
    }
    TideReport.Request request = new TideReport.Request(clinic, "14d", List.of(TAG), List.of(), CUTOFF, List.of(), false);
    JsonObject atOnce = new TideReport(embedded.store.mongo, 1_000).report(request, NOW).await();
    JsonObject paged = new TideReport(embedded.store.mongo, 5).report(request, NOW).await();
    assertThat(names(atOnce.getJsonObject("results"), "timeInVeryLowPercent")).hasSize(23);
    assertThat(paged).isEqualTo(atOnce);
  }

  @Test
  void aPatientWhoseDocumentCannotBeReadFailsTheReportInsteadOfBeingLeftOut() {
    String clinic = MongoJson.newId();
    insert(clinic, "readable", metrics(0.02, 0.05, 0.0, 0.0, 0.75, 0.0, 0.9), NOW.minusSeconds(3600), null);
    JsonObject unreadable = document(clinic, "unreadable", TAG, metrics(0.03, 0.05, 0.0, 0.0, 0.75, 0.0, 0.9), NOW.minusSeconds(3600));
    unreadable.getJsonObject("summary").getJsonObject("cgmStats").getJsonObject("dates").put("lastData", "yesterday");
    embedded.store.mongo.insert("patients", unreadable).await();
    TideReport.Request request = new TideReport.Request(clinic, "14d", List.of(TAG), List.of(), CUTOFF, List.of(), false);

    assertThat(new TideReport(embedded.store.mongo).report(request, NOW).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10));
  }

  private static JsonObject report(String clinic, List<String> categories, List<String> sites, boolean excludeNoData) {
    Envelope envelope = (Envelope) Envelope.server().path("clinicId", clinic).query("period", "14d")
        .query("tags", new JsonArray().add(TAG)).query("lastDataCutoff", CUTOFF.toString()).query("excludeNoData", excludeNoData);
    if (categories != null) {
      envelope.query("categories", new JsonArray(categories));
    }
    if (sites != null) {
      envelope.query("sites", new JsonArray(sites));
    }
    return embedded.store.object("TideReport", envelope);
  }

  private static List<String> names(JsonObject results, String category) {
    List<String> names = new ArrayList<>();
    results.getJsonArray(category).forEach(entry -> names.add(((JsonObject) entry).getJsonObject("patient").getString("fullName")));
    return names;
  }

  static JsonObject metrics(double veryLow, double anyLow, double veryHigh, double anyHigh, double inTarget, double delta, double cgmUse) {
    return new JsonObject().put("timeInVeryLowPercent", veryLow).put("timeInAnyLowPercent", anyLow)
        .put("timeInVeryHighPercent", veryHigh).put("timeInAnyHighPercent", anyHigh).put("timeInExtremeHighPercent", 0.0)
        .put("timeInTargetPercent", inTarget).put("timeInTargetPercentDelta", delta).put("timeCGMUsePercent", cgmUse);
  }

  private static void insert(String clinic, String name, JsonObject metrics, Instant lastData, String site) {
    JsonObject doc = document(clinic, name, TAG, metrics, lastData);
    if (site != null) {
      doc.put("sites", new JsonArray().add(new JsonObject().put("id", MongoJson.oid(site)).put("name", "North")));
    }
    embedded.store.mongo.insert("patients", doc).await();
  }

  private static void insertTagged(String clinic, String name, String tag, JsonObject metrics, Instant lastData) {
    embedded.store.mongo.insert("patients", document(clinic, name, tag, metrics, lastData)).await();
  }

  private static JsonObject document(String clinic, String name, String tag, JsonObject metrics, Instant lastData) {
    JsonObject doc = new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("clinicId", MongoJson.oid(clinic))
        .put("userId", String.format("%010x", users++)).put("fullName", name).put("tags", new JsonArray().add(MongoJson.oid(tag)));
    if (metrics != null) {
      doc.put("summary", new JsonObject().put("cgmStats", new JsonObject()
          .put("dates", new JsonObject().put("hasLastData", true).put("lastData", MongoJson.date(lastData)))
          .put("periods", new JsonObject().put("14d", metrics))));
    }
    return doc;
  }
}
