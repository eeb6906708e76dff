package org.tidepool.clinic.patientlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.StoreFixture;

/**
 * ListPatients' semantics (§3.4 and the defects D12, D13) on one seeded clinic: names with
 * accents and case, patients without summaries, tags, sites or MRNs. A subclass names the
 * MongoDB backend; the answers must be the same on every one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PatientListSemanticsTestBase {
  static final String T1 = "aaaaaaaaaaaaaaaaaaaaaaa1";
  static final String T2 = "aaaaaaaaaaaaaaaaaaaaaaa2";
  static final String S1 = "bbbbbbbbbbbbbbbbbbbbbbb1";
  static final String S2 = "bbbbbbbbbbbbbbbbbbbbbbb2";
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  protected StoreFixture store;
  protected String clinicId;
  /** fullName → user id, in creation (= _id) order. */
  protected final Map<String, String> ids = new LinkedHashMap<>();
  private int next;

  protected abstract String connectionString();

  @BeforeAll
  void seed() {
    store = new StoreFixture(connectionString()).deploy();
    User admin = store.user(userId(), "admin@example.org", "Admin");
    clinicId = store.createClinic(admin, "List Clinic").getString("id");
    // the demo patient (nameless here) would be one more row in every answer
    store.mongo.removeDocuments("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId))).await();
    store.mongo.updateCollection("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), new JsonObject().put("$set",
        new JsonObject().put("sites", new JsonArray().add(site(S1, "North")).add(site(S2, "South"))))).await();
    patient("Émile Zola", "1990-01-15", "emile@example.org", "MRN-001", List.of(T1, T2), List.of(S1),
        cgm(0.02, 0.05, 0.60, -0.20, 0.90, "2026-11-30T10:00:00Z"));
    patient("emile abel", "1985-03-02", "abel@example.org", "MRN-002", List.of(T1), List.of(S2),
        cgm(0.00, 0.01, 0.85, 0.05, 0.95, "2026-11-30T09:00:00Z"));
    patient("EMILY Stone", "2001-07-30", null, null, List.of(T2), null, cgm(0.03, 0.10, 0.40, -0.10, 0.50, "2026-11-20T09:00:00Z"));
    patient("Anna-Maria Lopez", "1979-12-24", "anna.m@example.org", "X-7", null, List.of(S1), null);
    patient("Anna Maria Lopez", "1979-12-25", "am@example.org", null, List.of(T1, T2), null, cgm(0.02, 0.02, 0.75, 0.0, 0.80, null));
    patient("annabel", "2010-05-05", "belle@example.org", "A.B*C", null, null, null);
    patient("Zoë Quinn", "1995-09-09", "zq@example.org", null, List.of(T1), List.of(S1, S2), cgm(0.02, 0.04, 0.70, 0.0, 0.70,
        "2026-11-29T09:00:00Z"));
    patient("zoe quinn", "1995-09-10", null, null, null, null, cgm(0.02, 0.06, 0.65, 0.01, 0.71, "2026-11-28T09:00:00Z"));
    patient("a.b*c+d", "2000-02-29", "regex@example.org", null, null, null, null);
    patient("Bob", "1970-01-01", "bob@example.org", null, null, null, null);
  }

  @AfterAll
  void close() {
    if (store != null) {
      store.close();
    }
  }

  // --- the name order ---------------------------------------------------------------------------

  @Test
  void theDefaultOrderIsTheEnglishCollationAtStrengthOneWithTheIdAsTieBreaker() {
    // case and accents ignored (Émile = emile), spaces before hyphens before letters ("Anna Maria" < "Anna-Maria" < "annabel"),
    // punctuation before letters ("a.b*c+d" < "anna..."), equal names in creation order (Zoë Quinn, zoe quinn)
    assertThat(names(list(new Envelope[0]))).containsExactly("a.b*c+d", "Anna Maria Lopez", "Anna-Maria Lopez", "annabel", "Bob",
        "emile abel", "Émile Zola", "EMILY Stone", "Zoë Quinn", "zoe quinn");
    // descending too, equal names stay in _id order
    assertThat(names(list(q("sort", "-fullName")))).containsExactly("Zoë Quinn", "zoe quinn", "EMILY Stone", "Émile Zola",
        "emile abel", "Bob", "annabel", "Anna-Maria Lopez", "Anna Maria Lopez", "a.b*c+d");
  }

  @Test
  void birthDateSortsAsText() {
    assertThat(names(list(q("sort", "+birthDate"), q("limit", 3)))).containsExactly("Bob", "Anna-Maria Lopez", "Anna Maria Lopez");
  }

  // --- search -------------------------------------------------------------------------------------

  @Test
  void searchIsACaseInsensitiveSubstringOfNameEmailMrnOrBirthDate() {
    assertThat(names(list(q("search", "ANNA")))).containsExactly("Anna Maria Lopez", "Anna-Maria Lopez", "annabel");
    assertThat(names(list(q("search", "@EXAMPLE.ORG")))).hasSize(8);
    assertThat(names(list(q("search", "mrn-00")))).containsExactly("emile abel", "Émile Zola");
    assertThat(names(list(q("search", "1995-09")))).containsExactly("Zoë Quinn", "zoe quinn");
  }

  @Test
  void regexCharactersInASearchAreLiteral() {
    assertThat(names(list(q("search", "a.b*c")))).containsExactly("a.b*c+d", "annabel");
    assertThat(names(list(q("search", "*c+")))).containsExactly("a.b*c+d");
    assertThat(names(list(q("search", "[")))).isEmpty();
    assertThat(names(list(q("search", "(")))).isEmpty();
  }

  // --- tags and sites -------------------------------------------------------------------------------

  @Test
  void tagsMeanAllOfThem() {
    assertThat(names(list(q("tags", new JsonArray().add(T1).add(T2))))).containsExactly("Anna Maria Lopez", "Émile Zola");
    assertThat(names(list(q("tags", new JsonArray().add(T2))))).containsExactly("Anna Maria Lopez", "Émile Zola", "EMILY Stone");
  }

  @Test
  void sitesMeanAnyOfThem() {
    assertThat(names(list(q("sites", new JsonArray().add(S2))))).containsExactly("emile abel", "Zoë Quinn");
    assertThat(names(list(q("sites", new JsonArray().add(S1).add(S2))))).containsExactly("Anna-Maria Lopez", "emile abel", "Émile Zola",
        "Zoë Quinn");
  }

  @Test
  void aValueThatIsNoIdAsksForThePatientsWithoutAny() {
    assertThat(names(list(q("tags", new JsonArray().add("none"))))).containsExactly("a.b*c+d", "Anna-Maria Lopez", "annabel", "Bob",
        "zoe quinn");
    assertThat(names(list(q("sites", new JsonArray().add(""))))).containsExactly("a.b*c+d", "Anna Maria Lopez", "annabel", "Bob",
        "EMILY Stone", "zoe quinn");
  }

  /** BACK-3632: search, no-tags and no-sites OR-groups used to overwrite each other. */
  @Test
  void orGroupsAreAndedTogether() {
    assertThat(names(list(q("search", "a"), q("tags", new JsonArray().add("none")), q("sites", new JsonArray().add("none")))))
        .containsExactly("a.b*c+d", "annabel", "Bob"); // Bob by his email
    assertThat(names(list(q("search", "anna"), q("tags", new JsonArray().add("none")), q("sites", new JsonArray().add("none")))))
        .containsExactly("annabel");
  }

  // --- summary filters -------------------------------------------------------------------------------

  @Test
  void everyValueTheFilterPatternsAllowIsAccepted() {
    // D12: integers, several digits, signs, a leading or trailing dot
    assertThat(names(list(q("cgm.timeInTargetPercent", ">=.7")))).containsExactly("Anna Maria Lopez", "emile abel", "Zoë Quinn");
    assertThat(names(list(q("cgm.timeInTargetPercent", "<1")))).hasSize(6);
    assertThat(names(list(q("cgm.timeInTargetPercentDelta", "<-0.15")))).containsExactly("Émile Zola");
    assertThat(names(list(q("cgm.timeInTargetPercentDelta", ">+0.")))).containsExactly("emile abel", "zoe quinn");
    assertThat(names(list(q("cgm.averageGlucoseMmol", ">=10.5")))).containsExactly("EMILY Stone");
    assertThat(names(list(q("cgm.timeInVeryHighRecords", ">=120")))).containsExactly("EMILY Stone");
  }

  /** D13: the extreme-high filters read their own fields, not the very-high ones. */
  @Test
  void everySummaryFilterFiltersItsOwnField() {
    assertThat(names(list(q("cgm.timeInExtremeHighMinutes", ">=60")))).containsExactly("Émile Zola");
    assertThat(names(list(q("cgm.timeInVeryHighMinutes", ">=60")))).containsExactly("EMILY Stone");
    assertThat(names(list(q("bgm.timeInExtremeHighPercent", ">0.1")))).containsExactly("Émile Zola");
    assertThat(names(list(q("bgm.timeInVeryHighPercent", ">0.1")))).isEmpty();
  }

  @Test
  void comparatorsAreExact() {
    assertThat(names(list(q("cgm.timeCGMUsePercent", ">0.7")))).containsExactly("Anna Maria Lopez", "emile abel", "Émile Zola",
        "zoe quinn");
    assertThat(names(list(q("cgm.timeCGMUsePercent", ">=0.7")))).contains("Zoë Quinn").hasSize(5);
    assertThat(names(list(q("cgm.timeCGMUsePercent", "<0.7")))).containsExactly("EMILY Stone");
    assertThat(names(list(q("cgm.timeCGMUsePercent", "<=0.7")))).containsExactly("EMILY Stone", "Zoë Quinn");
  }

  @Test
  void thePeriodPicksTheFilteredValues() {
    // the 7-day values are the 14-day ones halved
    assertThat(names(list(q("cgm.timeInTargetPercent", ">=0.7"), q("period", "7d")))).isEmpty();
    assertThat(names(list(q("cgm.timeInTargetPercent", ">=0.4"), q("period", "7d")))).containsExactly("emile abel");
  }

  @Test
  void lastDataRangesIncludeTheirStartAndExcludeTheirEnd() {
    assertThat(names(list(q("cgm.lastDataFrom", "2026-11-29T09:00:00Z"), q("cgm.lastDataTo", "2026-11-30T10:00:00Z"))))
        .containsExactly("emile abel", "Zoë Quinn");
  }

  @Test
  void lastReviewedKeepsThePatientsLastReviewedByThen() {
    assertThat(names(list(q("lastReviewed", "2026-11-15T00:00:00Z")))).containsExactly("Bob");
  }

  @Test
  void nonStandardRangesCanBeLeftOut() {
    assertThat(names(list(q("omitNonStandardRanges", true)))).doesNotContain("annabel").hasSize(9);
  }

  @Test
  void filtersCombine() {
    assertThat(names(list(q("tags", new JsonArray().add(T1)), q("cgm.timeInTargetPercent", ">=0.7"), q("cgm.timeCGMUsePercent", ">=0.9"))))
        .containsExactly("emile abel");
  }

  // --- summary sorts ---------------------------------------------------------------------------------

  @Test
  void summarySortsPutMissingValuesLastInBothDirections() {
    assertThat(names(list(q("sort", "-timeInAnyLowPercent"), q("sortType", "cgm"))))
        .containsExactly("EMILY Stone", "zoe quinn", "Émile Zola", "Zoë Quinn", "Anna Maria Lopez", "emile abel",
            // no summary: by _id
            "Anna-Maria Lopez", "annabel", "a.b*c+d", "Bob");
    assertThat(names(list(q("sort", "+timeInAnyLowPercent"), q("sortType", "cgm"), q("limit", 6))))
        .containsExactly("emile abel", "Anna Maria Lopez", "Zoë Quinn", "Émile Zola", "zoe quinn", "EMILY Stone");
  }

  @Test
  void equalSummaryValuesAreOrderedById() {
    // four patients have 2% very low
    assertThat(names(list(q("sort", "-timeInVeryLowPercent"), q("sortType", "cgm"), q("limit", 5))))
        .containsExactly("EMILY Stone", "Émile Zola", "Anna Maria Lopez", "Zoë Quinn", "zoe quinn");
  }

  @Test
  void aDateSortPutsPatientsWithoutDataLast() {
    assertThat(names(list(q("sort", "-lastData"), q("sortType", "cgm"), q("limit", 6))))
        .containsExactly("Émile Zola", "emile abel", "Zoë Quinn", "zoe quinn", "EMILY Stone", "Anna Maria Lopez");
  }

  @Test
  void aSummarySortNeedsItsType() {
    assertThat(badRequest(q("sort", "-timeInVeryLowPercent"))).contains("sortType");
    assertThat(badRequest(q("sort", "-noSuchThing"), q("sortType", "cgm"))).contains("sort").contains("noSuchThing");
    assertThat(badRequest(q("sort", "fullName"))).contains("sort");
  }

  // --- paging and counts --------------------------------------------------------------------------------

  @Test
  void pagesCountWhatMatchesAndTheClinicsTotal() {
    JsonObject page = list(q("offset", 2), q("limit", 3));
    assertThat(names(page)).containsExactly("Anna-Maria Lopez", "annabel", "Bob");
    assertThat(page.getJsonObject("meta").getMap()).containsEntry("count", 10L).containsEntry("totalCount", 10L);
    JsonObject searched = list(q("search", "emil"), q("offset", 1), q("limit", 1));
    assertThat(names(searched)).containsExactly("Émile Zola");
    assertThat(searched.getJsonObject("meta").getLong("count")).isEqualTo(3);
    assertThat(searched.getJsonObject("meta").getLong("totalCount")).isEqualTo(10);
    assertThat(names(list(q("offset", 10)))).isEmpty();
  }

  @Test
  void badValuesAre400NamingTheParameter() {
    assertThat(badRequest(q("limit", 0))).contains("limit");
    assertThat(badRequest(q("cgm.timeInTargetPercent", "=0.7"))).contains("cgm.timeInTargetPercent");
    assertThat(badRequest(q("cgm.lastDataFrom", "yesterday"))).contains("cgm.lastDataFrom");
  }

  // --- helpers -------------------------------------------------------------------------------------------

  protected static Envelope q(String name, Object value) {
    return (Envelope) Envelope.server().query(name, value);
  }

  protected JsonObject list(Envelope... parts) {
    Envelope envelope = Envelope.server().path("clinicId", clinicId);
    for (Envelope part : parts) {
      envelope.getJsonObject("query").mergeIn(part.getJsonObject("query"));
    }
    return store.object("ListPatients", envelope);
  }

  private String badRequest(Envelope... parts) {
    Envelope envelope = Envelope.server().path("clinicId", clinicId);
    for (Envelope part : parts) {
      envelope.getJsonObject("query").mergeIn(part.getJsonObject("query"));
    }
    ReplyException failure = store.failure("ListPatients", envelope);
    assertThat(failure.failureCode()).as(failure.getMessage()).isEqualTo(400);
    return failure.getMessage();
  }

  protected static List<String> names(JsonObject page) {
    List<String> names = new ArrayList<>();
    page.getJsonArray("data").forEach(patient -> names.add(((JsonObject) patient).getString("fullName")));
    return names;
  }

  private String userId() {
    return String.format("%010x", 0x1000000000L + System.nanoTime() % 0x100000000L + (next++));
  }

  private void patient(String name, String birthDate, String email, String mrn, List<String> tags, List<String> sites, JsonObject summary) {
    String userId = userId();
    store.user(userId, email == null ? userId + "@users.example.org" : email, name);
    JsonObject body = new JsonObject().put("fullName", name).put("birthDate", birthDate)
        .put("permissions", new JsonObject().put("view", new JsonObject()));
    if (mrn != null) {
      body.put("mrn", mrn);
    }
    if (tags != null) {
      body.put("tags", new JsonArray(tags));
    }
    if (sites != null) {
      JsonArray siteIds = new JsonArray();
      sites.forEach(id -> siteIds.add(new JsonObject().put("id", id)));
      body.put("sites", siteIds);
    }
    store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinicId).path("patientId", userId).body(body));
    JsonObject filter = new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId);
    JsonObject set = new JsonObject();
    set.put("email", email);
    if ("annabel".equals(name)) {
      set.put("glycemicRanges", new JsonObject().put("type", "preset").put("preset", "adaPregnancyType1"));
    } else if (name.startsWith("Zo")) {
      set.put("glycemicRanges", new JsonObject().put("type", "preset").put("preset", "adaStandard"));
    }
    if ("Bob".equals(name)) {
      set.put("reviews", new JsonArray().add(review("2026-11-10T00:00:00Z")));
    } else if (name.startsWith("Anna")) {
      set.put("reviews", new JsonArray().add(review("2026-11-20T00:00:00Z")).add(review("2026-11-01T00:00:00Z")));
    }
    store.mongo.updateCollection("patients", filter, new JsonObject().put("$set", set)).await();
    if (email == null) {
      store.mongo.updateCollection("patients", filter, new JsonObject().put("$unset", new JsonObject().put("email", ""))).await();
    }
    if (summary != null) {
      store.send("UpdatePatientSummary", Envelope.server().path("patientId", userId).body(summary)).await();
    }
    ids.put(name, userId);
  }

  private static JsonObject review(String time) {
    return new JsonObject().put("clinicianId", "cccccccccc").put("time", MongoJson.date(Instant.parse(time)));
  }

  private static JsonObject site(String id, String name) {
    return new JsonObject().put("id", MongoJson.oid(id)).put("name", name);
  }

  /** A CGM summary: 14 days as given, 7 days at half the time in ranges; BGM mirrors the extreme-high share. */
  static JsonObject cgm(double veryLow, double anyLow, double inTarget, double targetDelta, double cgmUse, String lastData) {
    JsonObject days14 = period(veryLow, anyLow, inTarget, targetDelta, cgmUse, 1.0);
    JsonObject days7 = period(veryLow, anyLow, inTarget, targetDelta, cgmUse, 0.5);
    JsonObject dates = new JsonObject().put("hasLastData", lastData != null);
    if (lastData != null) {
      dates.put("lastData", lastData).put("lastUploadDate", lastData).put("hasLastUploadDate", true);
    }
    double extremeHigh = inTarget == 0.60 ? 0.2 : 0.0;
    return new JsonObject()
        .put("cgmStats", new JsonObject().put("id", "c" + Long.toHexString(Double.doubleToLongBits(inTarget + veryLow + cgmUse)).substring(0, 10))
            .put("dates", dates).put("periods", new JsonObject().put("14d", days14).put("7d", days7)))
        .put("bgmStats", new JsonObject().put("periods", new JsonObject().put("14d", new JsonObject()
            .put("hasTimeInExtremeHighPercent", true).put("timeInExtremeHighPercent", extremeHigh)
            .put("hasTimeInVeryHighPercent", true).put("timeInVeryHighPercent", 0.05))));
  }

  private static JsonObject period(double veryLow, double anyLow, double inTarget, double targetDelta, double cgmUse, double scale) {
    boolean high = inTarget < 0.5;
    return new JsonObject()
        .put("hasTimeInVeryLowPercent", true).put("timeInVeryLowPercent", veryLow)
        .put("hasTimeInAnyLowPercent", true).put("timeInAnyLowPercent", anyLow)
        .put("hasTimeInTargetPercent", true).put("timeInTargetPercent", inTarget * scale)
        .put("timeInTargetPercentDelta", targetDelta)
        .put("hasTimeCGMUsePercent", true).put("timeCGMUsePercent", cgmUse)
        .put("hasAverageGlucoseMmol", true).put("averageGlucoseMmol", high ? 11.2 : 7.1)
        .put("hasTimeInVeryHighRecords", true).put("timeInVeryHighRecords", high ? 150 : 10)
        .put("hasTimeInVeryHighMinutes", true).put("timeInVeryHighMinutes", high ? 600 : 5)
        .put("hasTimeInExtremeHighMinutes", true).put("timeInExtremeHighMinutes", inTarget == 0.60 ? 90 : 0);
  }
}
