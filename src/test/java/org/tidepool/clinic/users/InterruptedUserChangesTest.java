package org.tidepool.clinic.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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
 * The operations over all of a user's records in several clinics (an email change, an account
 * deletion, data sources), stopped for good after a step, then a new store on the same database:
 * every record of the user ends as the finished operation leaves it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InterruptedUserChangesTest extends InterruptedStoreTestBase {
  private int users;

  /** A user who is a clinician of two clinics (one of them their own) and a patient of both. */
  private record Scene(User user, String own, String other) {}

  private Scene scene() {
    store = new StoreFixture(connection).deploy();
    User user = user("Uma User");
    User owner = user("Olga Owner");
    String own = store.createClinic(user, "Own " + user.id()).getString("id");
    String other = store.createClinic(owner, "Other " + user.id()).getString("id");
    String inviteId = "invite-" + user.id();
    store.object("CreateClinician", Envelope.server().path("clinicId", other).body(new JsonObject().put("email", user.email())
        .put("roles", new JsonArray(List.of("CLINIC_MEMBER"))).put("inviteId", inviteId)));
    store.object("AssociateClinicianToUser", Envelope.server().path("clinicId", other).path("inviteId", inviteId)
        .body(new JsonObject().put("userId", user.id())));
    for (String clinicId : List.of(own, other)) {
      store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinicId).path("patientId", user.id())
          .body(new JsonObject().put("birthDate", "1990-09-09").put("permissions", new JsonObject().put("view", new JsonObject()))));
    }
    return new Scene(user, own, other);
  }

  private User user(String name) {
    String id = String.format("%010x", 0xa000000000L + (++users) * 0x1000L + (System.nanoTime() & 0xfff));
    return store.user(id, name.toLowerCase().replace(' ', '.') + "." + id + "@example.org", name);
  }

  @Test
  void anEmailChangeStoppedAfterTheFirstClinicReachesEveryRecord() throws Exception {
    Scene scene = scene();
    String fresh = "renamed." + scene.user().id() + "@example.org";

    store = store.restartedAfterHaltAt("UserEmailChange:clinician", "UpdateClinicUserDetails",
        Envelope.server().path("userId", scene.user().id()).body(new JsonObject().put("email", fresh)));

    assertThat(emails("clinicians", scene.user())).containsOnly(fresh).hasSize(2);
    assertThat(emails("patients", scene.user())).containsOnly(fresh).hasSize(2);
    assertNoIntentLeft();
  }

  @ParameterizedTest
  @ValueSource(strings = {"UserRemoval:patients", "UserRemoval:clinicians"})
  void anAccountDeletionStoppedAfterAStepIsFinished(String haltAt) throws Exception {
    Scene scene = scene();
    // a patient of the user's own clinic, which the deletion leaves without clinicians
    User patient = user("Pat Patient");
    store.object("CreatePatientFromUser", Envelope.server().path("clinicId", scene.own()).path("patientId", patient.id())
        .body(new JsonObject().put("birthDate", "2001-01-01").put("permissions", new JsonObject().put("view", new JsonObject()))));

    store = store.restartedAfterHaltAt(haltAt, "DeleteUserFromClinics", Envelope.server().path("userId", scene.user().id()));

    assertThat(count("patients", new JsonObject().put("userId", scene.user().id()))).isZero();
    assertThat(count("clinicians", new JsonObject().put("userId", scene.user().id()))).isZero();
    assertThat(count("patients", new JsonObject().put("userId", patient.id()))).isZero();
    assertThat(count("patient_deletions", new JsonObject().put("patient.userId", scene.user().id()))).isEqualTo(2);
    assertThat(patientCount(scene.other()).getInteger("total")).isEqualTo(1);
    assertNoIntentLeft();
  }

  @Test
  void dataSourcesStoppedAfterTheFirstClinicReachEveryRecord() throws Exception {
    Scene scene = scene();
    JsonArray sources = new JsonArray().add(new JsonObject().put("providerName", "dexcom").put("state", "connected"));

    store = store.restartedAfterHaltAt("UserDataSources:record", "UpdatePatientDataSources",
        Envelope.server().path("userId", scene.user().id()).put("body", sources));

    for (JsonObject record : store.mongo.find("patients", new JsonObject().put("userId", scene.user().id())).await()) {
      assertThat(record.getJsonArray("dataSources").getJsonObject(0).getString("state")).isEqualTo("connected");
    }
    for (String clinicId : List.of(scene.own(), scene.other())) {
      assertThat(patientCount(clinicId).getJsonObject("providers").getJsonObject("dexcom").getInteger("total")).isEqualTo(1);
    }
    assertNoIntentLeft();
  }

  private List<String> emails(String collection, User user) {
    return store.mongo.find(collection, new JsonObject().put("userId", user.id())).await().stream()
        .map(record -> record.getString("email")).toList();
  }

  private long count(String collection, JsonObject query) {
    return store.mongo.count(collection, query).await();
  }

  private JsonObject patientCount(String clinicId) {
    return store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await().getJsonObject("patientCount");
  }

  private void assertNoIntentLeft() {
    assertThat(count(IntentLog.COLLECTION, new JsonObject())).isZero();
  }
}
