package org.tidepool.clinic.patients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
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
 * A patient removal (archive, deletion, counts) stopped for good after each step, and a creation
 * stopped before its clinic's counts moved, then a new store on the same database: the patient
 * is gone (archived once) or there, and the clinic's counts say so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedPatientRemovalTest extends InterruptedStoreTestBase {

  @ParameterizedTest
  @ValueSource(strings = {"PatientRemoval:archived", "PatientRemoval:deleted"})
  void aRemovalStoppedAfterAStepIsFinished(String haltAt) throws Exception {
    store = new StoreFixture(connection).deploy();
    User admin = store.user("a0000000a1", "admin@example.org", "Admin");
    User patient = store.user("b0000000b1", "patient@example.org", "Patient");
    String clinicId = store.createClinic(admin, "Removing").getString("id");
    store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinicId).path("patientId", patient.id())
        .body(new JsonObject().put("birthDate", "2000-01-01").put("permissions", new JsonObject().put("view", new JsonObject()))));
    assertThat(patientCount(clinicId).getInteger("total")).isEqualTo(2);

    store = store.restartedAfterHaltAt(haltAt, "DeletePatient",
        Envelope.as(admin.id()).path("clinicId", clinicId).path("patientId", patient.id()));

    JsonObject ofPatient = new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", patient.id());
    assertThat(store.mongo.count("patients", ofPatient).await()).isZero();
    assertThat(store.mongo.count("patient_deletions", new JsonObject().put("patient.userId", patient.id())).await()).isEqualTo(1);
    assertThat(patientCount(clinicId).getInteger("total")).isEqualTo(1);
    assertThat(store.mongo.count(IntentLog.COLLECTION, new JsonObject()).await()).isZero();
  }

  @org.junit.jupiter.api.Test
  void aCreationStoppedBeforeItsCountsIsRecounted() throws Exception {
    store = new StoreFixture(connection).deploy();
    User admin = store.user("a0000000a2", "admin2@example.org", "Admin");
    User patient = store.user("b0000000b2", "patient2@example.org", "Patient");
    String clinicId = store.createClinic(admin, "Counting").getString("id");

    store = store.restartedAfterHaltAt("PatientCountChange:written", "CreatePatientFromUser",
        Envelope.server().path("clinicId", clinicId).path("patientId", patient.id())
            .body(new JsonObject().put("birthDate", "2000-01-01").put("permissions", new JsonObject().put("view", new JsonObject()))));

    assertThat(store.mongo.count("patients", new JsonObject().put("userId", patient.id())).await()).isEqualTo(1);
    assertThat(patientCount(clinicId).getInteger("total")).isEqualTo(2);
    assertThat(patientCount(clinicId).getInteger("plan")).isEqualTo(1);
    assertThat(store.mongo.count(IntentLog.COLLECTION, new JsonObject()).await()).isZero();
  }

  private JsonObject patientCount(String clinicId) {
    return store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await().getJsonObject("patientCount");
  }
}
