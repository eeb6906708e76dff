package org.tidepool.clinic.patientgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.InterruptedStoreTestBase;
import org.tidepool.clinic.store.StoreFixture;

/**
 * Each multi-document tag or site change stopped for good after each of its steps, then a new
 * store on the same database: the change is complete (no half-applied rename, deletion, merge,
 * conversion or bulk assignment), the counts say so, and no intent is left.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InterruptedPatientGroupChangesTest extends InterruptedStoreTestBase {
  private String clinicId;
  private String admin;
  private String tagId;
  private String otherTagId;
  private String mainSite;
  private String annexSite;

  /** A clinic with tags North and Other, sites Main and Annex, and three patients tagged North at the Annex. */
  private void seed() {
    store = new StoreFixture(connection).deploy();
    User adminUser = store.user("a0000000a1", "admin@example.org", "Admin");
    admin = adminUser.id();
    clinicId = store.createClinic(adminUser, "Grouping").getString("id");
    tagId = store.object("CreatePatientTag", asAdmin().body(new JsonObject().put("name", "North"))).getString("id");
    otherTagId = store.object("CreatePatientTag", asAdmin().body(new JsonObject().put("name", "Other"))).getString("id");
    mainSite = store.object("CreateSite", asAdmin().body(new JsonObject().put("name", "Main"))).getString("id");
    annexSite = store.object("CreateSite", asAdmin().body(new JsonObject().put("name", "Annex"))).getString("id");
    for (String userId : List.of("b0000000b1", "b0000000b2", "b0000000b3")) {
      store.user(userId, userId + "@example.org", "Patient " + userId);
      store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinicId).path("patientId", userId)
          .body(new JsonObject().put("birthDate", "2000-01-01").put("permissions", new JsonObject().put("view", new JsonObject()))
              .put("tags", new JsonArray().add(tagId)).put("sites", new JsonArray().add(new JsonObject().put("id", annexSite)))));
    }
  }

  private Envelope asAdmin() {
    return Envelope.as(admin).path("clinicId", clinicId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TagAssignment:firstPatient"})
  void aBulkAssignmentStoppedAfterAStepIsFinished(String haltAt) throws Exception {
    seed();
    store = store.restartedAfterHaltAt(haltAt, "AssignPatientTagToClinicPatients", Envelope.server().path("clinicId", clinicId)
        .path("patientTagId", otherTagId));
    List<JsonObject> patients = patients();
    assertThat(patients).allSatisfy(patient -> assertThat(patient.getJsonArray("tags").stream().map(MongoJson::hex).toList())
        .contains(otherTagId));
    assertThat(count("tags", otherTagId)).isEqualTo(patients.size());
    assertNoIntentLeft();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SiteRename:clinicRenamed", "SiteRename:firstPatient"})
  void aSiteRenameStoppedAfterAStepIsFinished(String haltAt) throws Exception {
    seed();
    store = store.restartedAfterHaltAt(haltAt, "UpdateSite", asAdmin().path("siteId", annexSite)
        .body(new JsonObject().put("name", "East Annex")));
    assertThat(clinicSites()).containsExactly("Main", "East Annex");
    assertThat(patientsAt(annexSite)).hasSize(3).allSatisfy(patient -> assertThat(siteNames(patient)).containsExactly("East Annex"));
    assertNoIntentLeft();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SiteDeletion:clinicUpdated", "SiteDeletion:firstPatient"})
  void aSiteDeletionStoppedAfterAStepIsFinished(String haltAt) throws Exception {
    seed();
    store = store.restartedAfterHaltAt(haltAt, "DeleteSite", asAdmin().path("siteId", annexSite));
    assertThat(clinicSites()).containsExactly("Main");
    assertThat(patientsAt(annexSite)).isEmpty();
    assertThat(count("sites", annexSite)).isZero();
    assertNoIntentLeft();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SiteMerge:firstPatient", "SiteMerge:patientsMoved"})
  void aSiteMergeStoppedAfterAStepIsFinished(String haltAt) throws Exception {
    seed();
    store = store.restartedAfterHaltAt(haltAt, "MergeSite", Envelope.server().path("clinicId", clinicId).path("siteId", mainSite)
        .body(new JsonObject().put("id", annexSite)));
    assertThat(clinicSites()).containsExactly("Main");
    assertThat(patientsAt(annexSite)).isEmpty();
    assertThat(patientsAt(mainSite)).hasSize(3).allSatisfy(patient -> assertThat(siteNames(patient)).containsExactly("Main"));
    assertThat(count("sites", mainSite)).isEqualTo(3);
    assertNoIntentLeft();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TagConversion:siteAdded", "TagConversion:firstPatient", "TagConversion:patientsMoved"})
  void aTagConversionStoppedAfterAStepIsFinished(String haltAt) throws Exception {
    seed();
    store = store.restartedAfterHaltAt(haltAt, "ConvertPatientTagToSite", Envelope.server().path("clinicId", clinicId)
        .path("patientTagId", tagId));
    JsonObject clinic = clinic();
    assertThat(clinic.getJsonArray("patientTags").stream().map(JsonObject.class::cast).map(tag -> tag.getString("name")).toList())
        .containsExactly("Other");
    assertThat(clinicSites()).containsExactly("Main", "Annex", "North");
    String northSite = MongoJson.hex(clinic.getJsonArray("sites").getJsonObject(2).getValue("id"));
    assertThat(patientsAt(northSite)).hasSize(3).allSatisfy(patient -> {
      assertThat(siteNames(patient)).containsExactly("Annex", "North");
      assertThat(patient.getJsonArray("tags")).isEmpty();
    });
    assertThat(count("sites", northSite)).isEqualTo(3);
    assertNoIntentLeft();
  }

  private JsonObject clinic() {
    return store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await();
  }

  private List<String> clinicSites() {
    return clinic().getJsonArray("sites").stream().map(JsonObject.class::cast).map(site -> site.getString("name")).toList();
  }

  private long count(String field, String id) {
    return clinic().getJsonObject("patientGroupCounts").getJsonObject(field).getLong(id, 0L);
  }

  private List<JsonObject> patients() {
    return store.mongo.find("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId))).await();
  }

  private List<JsonObject> patientsAt(String siteId) {
    return store.mongo.find("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("sites.id", MongoJson.oid(siteId)))
        .await();
  }

  private static List<String> siteNames(JsonObject patient) {
    return patient.getJsonArray("sites").stream().map(JsonObject.class::cast).map(site -> site.getString("name")).toList();
  }

  private void assertNoIntentLeft() {
    assertThat(store.mongo.count(IntentLog.COLLECTION, new JsonObject()).await()).isZero();
  }
}
