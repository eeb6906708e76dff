package org.tidepool.clinic.patientlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.StoreFixture;

/** UpdatePatientSummary and DeletePatientSummary (rule 25) and rule 19: an UpdatePatient never reverts a summary. */
class PatientSummariesTest {
  static EmbeddedStore embedded;
  static StoreFixture store;
  static String first;
  static String second;
  static int users;

  @BeforeAll
  static void start() {
    embedded = new EmbeddedStore();
    store = embedded.store;
    User admin = store.user("a0a0a0a0a0", "admin@example.org", "Admin");
    first = store.createClinic(admin, "First").getString("id");
    second = store.createClinic(admin, "Second").getString("id");
  }

  @AfterAll
  static void stop() {
    embedded.close();
  }

  private static String patientOfBoth() {
    String userId = String.format("%010x", 0xb00000000L + users++);
    store.user(userId, userId + "@example.org", "Pat " + userId);
    for (String clinic : new String[] {first, second}) {
      store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinic).path("patientId", userId)
          .body(new JsonObject().put("fullName", "Pat " + userId).put("birthDate", "2001-01-01")
              .put("permissions", new JsonObject().put("view", new JsonObject()))));
    }
    return userId;
  }

  private static Object update(String userId, JsonObject summary) {
    return store.send("UpdatePatientSummary", Envelope.server().path("patientId", userId).body(summary)).await();
  }

  private static JsonObject get(String clinic, String userId) {
    return store.object("GetPatient", Envelope.server().path("clinicId", clinic).path("patientId", userId));
  }

  private static JsonObject stored(String clinic, String userId) {
    return store.mongo.findOne("patients", new JsonObject().put("clinicId", MongoJson.oid(clinic)).put("userId", userId), null).await();
  }

  static JsonObject summary(String id, double inTarget) {
    return new JsonObject().put("cgmStats", new JsonObject().put("id", id)
        .put("dates", new JsonObject().put("hasLastData", true).put("lastData", "2026-11-30T10:00:00Z"))
        .put("periods", new JsonObject().put("14d", new JsonObject().put("timeInTargetPercent", inTarget))));
  }

  @Test
  void aSummaryGoesOntoEveryClinicRecordAndTheSameOneAgainChangesNothing() {
    String userId = patientOfBoth();
    assertThat(update(userId, summary("aaaa0001", 0.7))).isEqualTo(new JsonObject());
    for (String clinic : new String[] {first, second}) {
      JsonObject cgm = get(clinic, userId).getJsonObject("summary").getJsonObject("cgmStats");
      assertThat(cgm.getJsonObject("dates").getString("lastData")).isEqualTo("2026-11-30T10:00:00Z");
      // stored as a date, so that ranges and the TIDE cutoff compare dates
      assertThat(stored(clinic, userId).getJsonObject("summary").getJsonObject("cgmStats").getJsonObject("dates")
          .getValue("lastData")).isInstanceOf(JsonObject.class);
    }
    assertThat(update(userId, summary("aaaa0001", 0.7))).as("nothing changed: 204").isNull();
    assertThat(update("ffffffffff", summary("aaaa0001", 0.7))).as("no records: 204").isNull();
  }

  @Test
  void anEmptySummaryRemovesItAndOneTypeLeavesTheOther() {
    String userId = patientOfBoth();
    update(userId, summary("aaaa0002", 0.5).put("bgmStats", new JsonObject().put("id", "bbbb0002")));
    update(userId, summary("aaaa0003", 0.6));
    JsonObject kept = get(first, userId).getJsonObject("summary");
    assertThat(kept.getJsonObject("cgmStats").getString("id")).isEqualTo("aaaa0003");
    assertThat(kept.getJsonObject("bgmStats").getString("id")).isEqualTo("bbbb0002");
    assertThat(update(userId, new JsonObject())).isEqualTo(new JsonObject());
    assertThat(get(second, userId).containsKey("summary")).isFalse();
  }

  /** BACK-3765: an update of the patient used to revert its summary. */
  @Test
  void anUpdateOfThePatientKeepsTheSummary() {
    String userId = patientOfBoth();
    update(userId, summary("aaaa0004", 0.8));
    store.object("UpdatePatient", Envelope.server().path("clinicId", first).path("patientId", userId)
        .body(new JsonObject().put("fullName", "Pat Renamed").put("birthDate", "2001-01-02")));
    JsonObject patient = get(first, userId);
    assertThat(patient.getString("fullName")).isEqualTo("Pat Renamed");
    assertThat(patient.getJsonObject("summary").getJsonObject("cgmStats").getString("id")).isEqualTo("aaaa0004");
  }

  @Test
  void aDeletedSummaryLeavesEveryRecordThatHadIt() {
    String userId = patientOfBoth();
    update(userId, summary("aaaa0005", 0.8).put("bgmStats", new JsonObject().put("id", "bbbb0005")));
    Object deleted = store.send("DeletePatientSummary", Envelope.server().path("summaryId", "aaaa0005")).await();
    assertThat(deleted).isEqualTo(new JsonObject());
    for (String clinic : new String[] {first, second}) {
      JsonObject left = get(clinic, userId).getJsonObject("summary");
      assertThat(left.containsKey("cgmStats")).isFalse();
      assertThat(left.getJsonObject("bgmStats").getString("id")).isEqualTo("bbbb0005");
    }
    assertThat(store.send("DeletePatientSummary", Envelope.server().path("summaryId", "aaaa0005")).await()).isNull();
  }
}
