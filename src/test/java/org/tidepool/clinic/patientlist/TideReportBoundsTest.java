package org.tidepool.clinic.patientlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * The streamed TIDE report, which keeps 100 candidates a category and 150 for {@code noData},
 * against a brute-force placement over every selected patient, on clinics where the bounds are
 * reached exactly: a bound one smaller, or a wrong order or tie-break, changes the report.
 */
class TideReportBoundsTest {
  static final String TAG = TideReportTest.TAG;
  static final String SITE = TideReportTest.SITE;
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
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
  void overflowingOverlappingCategoriesAndPlacedPatientsWithoutRecentDataAreReportedAsByBruteForce() {
    String clinic = MongoJson.newId();
    // 40 very low, with the highest any low too: they lead the any-low order but are placed before it
    for (int i = 0; i < 40; i++) {
      insert(clinic, metrics(0.02 + i / 1000.0, 0.30, 0.0, 0.0, 0.75, 0.0, 0.9), NOW.minus(Duration.ofHours(36)).minusSeconds(60 * i), "error");
    }
    // 110 any low (ties in pairs, also at the cut): 60 placed, the 50 others not; placed ones have the older data
    for (int i = 0; i < 110; i++) {
      insert(clinic, metrics(0.0, 0.05 + (i + 1) / 2 / 1000.0, 0.0, 0.0, 0.75, 0.0, 0.9),
          NOW.minus(Duration.ofHours(26)).minusSeconds(60 * (i / 2)), "disconnected");
    }
    // very high: holders of a later category with no place left
    for (int i = 0; i < 30; i++) {
      insert(clinic, metrics(0.0, 0.0, 0.10 + i / 1000.0, 0.30, 0.60, 0.0, 0.9), NOW.minusSeconds(3600), null);
    }
    // data since the cutoff, older than 8 h, Dexcom connected: neither in a category nor without recent data
    for (int i = 0; i < 10; i++) {
      insert(clinic, metrics(0.0, 0.01, 0.0, 0.0, 0.65, 0.0, 0.9), NOW.minus(Duration.ofHours(30)), "connected");
    }
    // no summary, and data before the cutoff: first in noData's order
    for (int i = 0; i < 10; i++) {
      insert(clinic, null, null, null);
      insert(clinic, metrics(0.05, 0.05, 0.0, 0.0, 0.9, 0.0, 0.9), NOW.minus(Duration.ofDays(3 + i % 3)), null);
    }
    TideReport.Request request = request(clinic, List.of(), List.of(), false);
    List<JsonObject> all = selected(request);
    Map<String, List<String>> expected = bruteForce(all, request);

    assertThat(expected.get("timeInVeryLowPercent")).hasSize(40);
    assertThat(expected.get("timeInAnyLowPercent")).hasSize(60);
    assertThat(expected.get("timeInVeryHighPercent")).isEmpty();
    assertThat(expected.get("noData")).hasSize(50);
    // the bounds are tight: the last taken is the 100th any-low holder and the 150th without recent data
    List<String> anyLow = inOrder(all, request, "timeInAnyLowPercent");
    assertThat(anyLow.indexOf(last(expected.get("timeInAnyLowPercent")))).isEqualTo(TideReport.CATEGORY_LIMIT - 1);
    List<String> noData = noDataInOrder(all, request);
    assertThat(noData.indexOf(last(expected.get("noData")))).isEqualTo(TideReport.CATEGORY_LIMIT + TideReport.NO_DATA_LIMIT - 1);

    assertThat(streamed(request, 7)).isEqualTo(expected);
    assertThat(streamed(request, TideReport.BATCH)).isEqualTo(expected);
    // each entry carries the shown metrics of the whole document's period, and only those
    JsonObject results = new TideReport(embedded.store.mongo, 7).report(request, NOW).await().getJsonObject("results");
    Map<String, JsonObject> byUser = new LinkedHashMap<>();
    all.forEach(doc -> byUser.put(doc.getString("userId"), doc));
    for (String name : results.fieldNames()) {
      for (Object item : results.getJsonArray(name)) {
        JsonObject entry = ((JsonObject) item).copy();
        JsonObject doc = byUser.get(entry.getJsonObject("patient").getString("id"));
        entry.remove("patient");
        Instant lastData = lastData(doc);
        assertThat(entry.remove("lastData")).isEqualTo(lastData == null ? null : lastData.toString());
        JsonObject period = metrics(doc, request);
        JsonObject shown = new JsonObject();
        if (period != null) {
          period.fieldNames().stream().filter(field -> !field.endsWith("Records")).forEach(field -> shown.put(field, period.getValue(field)));
        }
        assertThat(entry).isEqualTo(shown);
      }
    }
  }

  @Test
  void aSeededClinicOfMixedPatientsIsReportedAsByBruteForceForEveryRequest() {
    String clinic = MongoJson.newId();
    Random random = new Random(20261202);
    String[] states = {null, "connected", "disconnected", "error"};
    for (int i = 0; i < 600; i++) {
      int kind = random.nextInt(10);
      Instant lastData = kind == 0 ? null : kind == 1 ? NOW.minus(Duration.ofDays(3 + random.nextInt(3)))
          : kind < 5 ? NOW.minus(Duration.ofHours(9 + random.nextInt(30))) : NOW.minus(Duration.ofHours(random.nextInt(8)));
      JsonObject metrics = lastData == null ? null : metrics(step(random, 0.04), step(random, 0.12), step(random, 0.15),
          step(random, 0.6), step(random, 1.0), step(random, 0.4) - 0.25, step(random, 1.0));
      insert(clinic, metrics, lastData, states[random.nextInt(states.length)], random.nextBoolean() ? SITE : null);
    }
    List<TideReport.Request> requests = List.of(request(clinic, List.of(), List.of(), false),
        request(clinic, List.of("timeCGMUsePercent", "timeInTargetPercent", "timeInExtremeHighPercent", "meetingTargets"), List.of(), false),
        request(clinic, List.of(), List.of(SITE), false), request(clinic, List.of("timeInAnyHighPercent", "timeInVeryLowPercent"), List.of(), true));
    for (TideReport.Request request : requests) {
      Map<String, List<String>> expected = bruteForce(selected(request), request);
      // the categories overflow: all 100 places are taken
      assertThat(expected.entrySet().stream().filter(category -> !category.getKey().equals("noData"))
          .mapToInt(category -> category.getValue().size()).sum()).isEqualTo(TideReport.CATEGORY_LIMIT);
      assertThat(streamed(request, 13)).isEqualTo(expected);
    }
  }

  @Test
  void bestOfKeepsOnlyItsLimitAndTheyAreTheFirstInOrder() {
    BestOf<Integer> best = new BestOf<>(100, Comparator.<Integer>reverseOrder());
    List<Integer> offered = new ArrayList<>(IntStream.range(0, 10_000).boxed().toList());
    java.util.Collections.shuffle(offered, new Random(7));
    offered.forEach(best::offer);
    assertThat(best.inOrder()).isEqualTo(IntStream.range(0, 100).map(i -> 9_999 - i).boxed().toList());
    BestOf<Integer> none = new BestOf<>(0, Comparator.<Integer>naturalOrder());
    offered.forEach(none::offer);
    assertThat(none.inOrder()).isEmpty();
  }

  // --- the brute force: every selected patient, placed as §3.6 says, with no bound ---

  private static Map<String, List<String>> bruteForce(List<JsonObject> all, TideReport.Request request) {
    Map<String, List<String>> report = new LinkedHashMap<>();
    Set<String> placed = new HashSet<>();
    int remaining = TideReport.CATEGORY_LIMIT;
    for (String name : names(request)) {
      List<JsonObject> members = all.stream().filter(doc -> !placed.contains(id(doc)) && recent(doc, request)
          && TideCategory.ALL.get(name).holds().test(metrics(doc, request))).sorted(order(name, request)).limit(Math.max(remaining, 0)).toList();
      members.forEach(doc -> placed.add(id(doc)));
      remaining -= members.size();
      report.put(name, members.stream().map(doc -> doc.getString("userId")).toList());
    }
    if (!request.excludeNoData()) {
      report.put("noData", all.stream().filter(doc -> !placed.contains(id(doc)) && noRecentData(doc, request))
          .sorted(oldestFirst()).limit(TideReport.NO_DATA_LIMIT).map(doc -> doc.getString("userId")).toList());
    }
    return report;
  }

  private static List<String> inOrder(List<JsonObject> all, TideReport.Request request, String name) {
    return all.stream().filter(doc -> recent(doc, request) && TideCategory.ALL.get(name).holds().test(metrics(doc, request)))
        .sorted(order(name, request)).map(doc -> doc.getString("userId")).toList();
  }

  private static List<String> noDataInOrder(List<JsonObject> all, TideReport.Request request) {
    return all.stream().filter(doc -> noRecentData(doc, request)).sorted(oldestFirst()).map(doc -> doc.getString("userId")).toList();
  }

  private static Comparator<JsonObject> order(String name, TideReport.Request request) {
    TideCategory category = TideCategory.ALL.get(name);
    Comparator<JsonObject> byMetric = Comparator.comparingDouble(doc -> TideCategory.value(metrics(doc, request), category.metric()));
    return (category.descending() ? byMetric.reversed() : byMetric).thenComparing(TideReportBoundsTest::id);
  }

  private static Comparator<JsonObject> oldestFirst() {
    return Comparator.comparing(TideReportBoundsTest::lastData, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(TideReportBoundsTest::id);
  }

  private static boolean recent(JsonObject doc, TideReport.Request request) {
    return lastData(doc) != null && !lastData(doc).isBefore(request.lastDataCutoff());
  }

  private static boolean noRecentData(JsonObject doc, TideReport.Request request) {
    Instant lastData = lastData(doc);
    boolean dexcomNotConnected = doc.getJsonArray("dataSources", new JsonArray()).stream().map(JsonObject.class::cast)
        .anyMatch(source -> "dexcom".equals(source.getString("providerName")) && !"connected".equals(source.getString("state")));
    return lastData == null || lastData.isBefore(NOW.minus(Duration.ofHours(8)))
        && (lastData.isBefore(request.lastDataCutoff()) || dexcomNotConnected);
  }

  private static Instant lastData(JsonObject doc) {
    JsonObject stats = doc.getJsonObject("summary", new JsonObject()).getJsonObject("cgmStats");
    return stats == null ? null : MongoJson.instant(stats.getJsonObject("dates").getValue("lastData"));
  }

  private static JsonObject metrics(JsonObject doc, TideReport.Request request) {
    JsonObject stats = doc.getJsonObject("summary", new JsonObject()).getJsonObject("cgmStats");
    return stats == null ? null : stats.getJsonObject("periods").getJsonObject(request.period());
  }

  private static String id(JsonObject doc) {
    return MongoJson.hex(doc.getValue("_id"));
  }

  private static List<String> names(TideReport.Request request) {
    return request.categories().isEmpty() ? TideCategory.DEFAULT_ORDER : request.categories();
  }

  // --- the report, the store and the clinic ---

  private static Map<String, List<String>> streamed(TideReport.Request request, int batchSize) {
    JsonObject results = new TideReport(embedded.store.mongo, batchSize).report(request, NOW).await().getJsonObject("results");
    Map<String, List<String>> report = new LinkedHashMap<>();
    results.fieldNames().forEach(name -> report.put(name,
        results.getJsonArray(name).stream().map(entry -> ((JsonObject) entry).getJsonObject("patient").getString("id")).toList()));
    return report;
  }

  private static List<JsonObject> selected(TideReport.Request request) {
    return embedded.store.mongo.find("patients", TideReport.selection(request)).await(); // whole documents: no projection shared
  }

  private static TideReport.Request request(String clinic, List<String> categories, List<String> sites, boolean excludeNoData) {
    return new TideReport.Request(clinic, "14d", List.of(TAG), sites, CUTOFF, categories, excludeNoData);
  }

  private static double step(Random random, double max) {
    return Math.round(random.nextDouble() * max * 40) / 40.0;
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static JsonObject metrics(double veryLow, double anyLow, double veryHigh, double anyHigh, double inTarget, double delta, double cgmUse) {
    return new JsonObject().put("timeInVeryLowPercent", veryLow).put("timeInAnyLowPercent", anyLow)
        .put("timeInVeryHighPercent", veryHigh).put("timeInAnyHighPercent", anyHigh).put("timeInExtremeHighPercent", 0.0)
        .put("timeInTargetPercent", inTarget).put("timeInTargetPercentDelta", delta).put("timeCGMUsePercent", cgmUse)
        .put("averageGlucoseMmol", 7.5).put("timeCGMUseMinutes", 18_000).put("timeInTargetRecords", 4_000); // the last is not shown
  }

  private static void insert(String clinic, JsonObject metrics, Instant lastData, String dexcomState) {
    insert(clinic, metrics, lastData, dexcomState, null);
  }

  private static void insert(String clinic, JsonObject metrics, Instant lastData, String dexcomState, String site) {
    JsonObject doc = new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("clinicId", MongoJson.oid(clinic))
        .put("userId", String.format("%010x", users++)).put("fullName", "Patient " + users)
        .put("tags", new JsonArray().add(MongoJson.oid(TAG)));
    if (metrics != null) {
      doc.put("summary", new JsonObject().put("cgmStats", new JsonObject()
          .put("dates", new JsonObject().put("hasLastData", true).put("lastData", MongoJson.date(lastData)))
          .put("periods", new JsonObject().put("14d", metrics))));
    }
    if (dexcomState != null) {
      doc.put("dataSources", new JsonArray().add(new JsonObject().put("providerName", "dexcom").put("state", dexcomState)
          .put("dataSourceId", MongoJson.oid(MongoJson.newId()))));
    }
    if (site != null) {
      doc.put("sites", new JsonArray().add(new JsonObject().put("id", MongoJson.oid(site)).put("name", "North")));
    }
    embedded.store.mongo.insert("patients", doc).await();
  }
}
