package org.tidepool.clinic.patientlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.NameOrder;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.InterruptedStoreTestBase;
import org.tidepool.clinic.store.StoreFixture;

/**
 * Patient records without the name-order key (written before it existed, or by another writer)
 * get it when the store starts, so that a name-sorted list on the embedded store puts them where
 * their names belong; the key is written directly, with no change event.
 */
class FullNameKeyBackfillTest extends InterruptedStoreTestBase {

  @Test
  void aRecordWithoutTheKeyIsSortedByItsNameAfterARestart() {
    store = new StoreFixture(connection).deploy();
    User admin = store.user("a0000000a1", "admin@example.org", "Admin");
    String clinicId = store.createClinic(admin, "Backfilled").getString("id");
    for (String[] patient : List.of(new String[] {"b0000000b1", "Bob Builder"}, new String[] {"b0000000b2", "dave Dyer"})) {
      store.user(patient[0], patient[0] + "@example.org", patient[1]);
      store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinicId).path("patientId", patient[0])
          .body(new JsonObject().put("birthDate", "2000-01-01").put("fullName", patient[1])
              .put("permissions", new JsonObject().put("view", new JsonObject()))));
    }
    // as an older version wrote it: no fullNameKey; lower case and an accent, so the binary order of names differs too
    JsonObject now = MongoJson.date(Instant.now());
    String legacyId = MongoJson.newId();
    store.mongo.insert("patients", new JsonObject().put("_id", MongoJson.oid(legacyId)).put("clinicId", MongoJson.oid(clinicId))
        .put("userId", "c0000000c1").put("fullName", "célia Cole").put("birthDate", "1990-05-06")
        .put("permissions", new JsonObject().put("view", new JsonObject())).put("createdTime", now).put("updatedTime", now)).await();
    assertThat(names(clinicId)).as("before the restart the record without a key sorts first")
        .containsExactly("célia Cole", "Bob Builder", "dave Dyer");
    long changeRecords = store.mongo.count(ChangeRecorder.COLLECTION, new JsonObject()).await();

    store.undeploy();
    store.deploy();

    assertThat(names(clinicId)).containsExactly("Bob Builder", "célia Cole", "dave Dyer");
    assertThat(names(clinicId, "-fullName")).containsExactly("dave Dyer", "célia Cole", "Bob Builder");
    JsonObject legacy = store.mongo.findOne("patients", new JsonObject().put("_id", MongoJson.oid(legacyId)), null).await();
    assertThat(legacy.getString(NameOrder.FULL_NAME_KEY)).isEqualTo(NameOrder.key("célia Cole"));
    assertThat(legacy.containsKey("revision")).as("not a change a client sees").isFalse();
    assertThat(store.mongo.count(ChangeRecorder.COLLECTION, new JsonObject()).await()).isEqualTo(changeRecords);
  }

  @Test
  void everyRecordOfSeveralBatchesGetsItsKey() {
    store = new StoreFixture(connection).deploy();
    String clinicId = store.createClinic(store.user("a0000000a2", "admin2@example.org", "Admin"), "Many").getString("id");
    JsonArray records = new JsonArray();
    int count = FullNameKeyBackfill.BATCH * 2 + 7;
    for (int i = 0; i < count; i++) {
      records.add(new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("clinicId", MongoJson.oid(clinicId))
          .put("userId", String.format("d%09d", i)).put("fullName", "Patient " + i));
    }
    // one without a name: nothing to derive a key from, left as it is
    records.add(new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("clinicId", MongoJson.oid(clinicId)).put("userId", "e000000000"));
    for (Object record : records) {
      store.mongo.insert("patients", (JsonObject) record).await();
    }

    store.undeploy();
    store.deploy();

    JsonObject ofClinic = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    assertThat(store.mongo.count("patients", ofClinic.copy().put(NameOrder.FULL_NAME_KEY, new JsonObject().put("$exists", true))).await())
        .isEqualTo(count);
    assertThat(store.mongo.count("patients", ofClinic.copy().put("fullName", new JsonObject().put("$exists", true))
        .put(NameOrder.FULL_NAME_KEY, new JsonObject().put("$exists", false))).await()).isZero();
    assertThat(store.mongo.findOne("patients", new JsonObject().put("userId", "e000000000"), null).await()
        .containsKey(NameOrder.FULL_NAME_KEY)).isFalse();
  }

  private List<String> names(String clinicId) {
    return names(clinicId, "+fullName");
  }

  private List<String> names(String clinicId, String sort) {
    JsonObject page = store.object("ListPatients", (Envelope) Envelope.server().path("clinicId", clinicId).query("sort", sort)
        .query("limit", 100));
    return page.getJsonArray("data").stream().map(JsonObject.class::cast).map(patient -> patient.getString("fullName"))
        // the clinic's demo patient has no name here (the test's directory has no demo user)
        .filter(java.util.Objects::nonNull).toList();
  }
}
