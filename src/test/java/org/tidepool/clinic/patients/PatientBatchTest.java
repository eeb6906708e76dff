package org.tidepool.clinic.patients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.InterruptedStoreTestBase;
import org.tidepool.clinic.store.StoreFixture;

/**
 * CreatePatientsFromUsers: several users added under one hold of the clinic's lock, each member
 * with the outcome CreatePatientFromUser would give it in its place (new, existing, gone, an MRN
 * taken by a stored record or by a member before it, a legacy clinician joining an existing
 * record), one change record per record created, the cached counts exact; a batch cut short
 * before its counts is recounted, and its repetition creates nothing twice. Concurrent
 * CreatePatientAccount of one clinic, which wait in the clinic's queue and are written in
 * batches, have the outcomes of one at a time (the plan limit, a unique MRN, a taken email).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PatientBatchTest extends InterruptedStoreTestBase {
  private static final String LEGACY = "1e9ac11111";

  @Test
  void eachMemberGetsTheOutcomeOfItsPlace() {
    store = new StoreFixture(connection).deploy();
    String clinicId = clinic("Batched", "a0000000a1");
    setClinic(clinicId, new JsonObject().put("mrnSettings", new JsonObject().put("required", false).put("unique", true)));
    User stored = store.user("b0000000b1", "stored@example.org", "Stored");
    User storedLegacy = store.user("b0000000b2", "legacy@example.org", "Legacy");
    createFromUser(clinicId, stored.id(), new JsonObject().put("mrn", "MRN-1"));
    createFromUser(clinicId, storedLegacy.id(), new JsonObject());
    List<User> fresh = List.of(store.user("c0000000c1", "one@example.org", "One"), store.user("c0000000c2", "two@example.org", "Two"),
        store.user("c0000000c3", "three@example.org", "Three"), store.user("c0000000c4", "four@example.org", "Four"));
    long recordsBefore = changeRecords();

    JsonArray results = batch(clinicId, new JsonArray()
        .add(member(fresh.get(0).id()).put("mrn", "MRN-2"))
        .add(member(stored.id()))                                                  // existing, no legacy clinician: 409
        .add(member("9999999999"))                                                 // gone: 404
        .add(member(fresh.get(1).id()).put("mrn", "MRN-1"))                       // taken by a stored record: 400
        .add(member(fresh.get(2).id()).put("mrn", "MRN-2"))                       // taken by the first member: 400
        .add(member(storedLegacy.id()).put("legacyClinicianId", LEGACY))           // the legacy id joins the existing record
        .add(member(fresh.get(3).id()).put("legacyClinicianId", LEGACY).put("isMigrated", true)));

    assertThat(results.stream().map(JsonObject.class::cast).map(result -> result.getInteger("code", 200)).toList())
        .containsExactly(200, 409, 404, 400, 400, 200, 200);
    assertThat(results.getJsonObject(3).getString("message")).isEqualTo(PatientRepository.MRN_NOT_UNIQUE);
    assertThat(results.getJsonObject(4).getString("message")).isEqualTo(PatientRepository.MRN_NOT_UNIQUE);
    assertThat(results.getJsonObject(0).getJsonObject("patient").getString("mrn")).isEqualTo("MRN-2");
    assertThat(results.getJsonObject(5).getJsonObject("patient").getString("id")).isEqualTo(storedLegacy.id());
    assertThat(record(clinicId, storedLegacy.id()).getJsonArray("legacyClinicianIds")).containsExactly(LEGACY);
    assertThat(record(clinicId, fresh.get(3).id()).getBoolean("isMigrated")).isTrue();
    assertThat(record(clinicId, fresh.get(1).id())).isNull();
    assertThat(record(clinicId, fresh.get(2).id())).isNull();
    // two inserts and one update, each with its own change record
    assertThat(changeRecords() - recordsBefore).isEqualTo(3);
    // demo patient, two stored, two created
    assertCountsExact(clinicId, 5);
  }

  @Test
  void theBatchesCountsMoveThePlanThatTheLimitReads() {
    store = new StoreFixture(connection).deploy();
    String clinicId = clinic("Limited", "a0000000a2");
    setClinic(clinicId, new JsonObject().put("country", "US")
        .put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", 3))));
    JsonArray members = new JsonArray();
    for (int i = 0; i < 3; i++) {
      members.add(member(store.user("d0000000d" + i, "plan" + i + "@example.org", "Plan " + i).id()));
    }

    assertThat(batch(clinicId, members).stream().map(JsonObject.class::cast).filter(result -> result.containsKey("patient"))).hasSize(3);

    ReplyException overLimit = store.failure("CreatePatientAccount", Envelope.server().path("clinicId", clinicId)
        .body(new JsonObject().put("fullName", "Fourth").put("birthDate", "2004-04-04")));
    assertThat(overLimit.failureCode()).isEqualTo(402);
    assertCountsExact(clinicId, 4);
  }

  @Test
  void aBatchCutShortBeforeItsCountsIsRecountedAndItsRepetitionCreatesNothingTwice() throws Exception {
    store = new StoreFixture(connection).deploy();
    String clinicId = clinic("Cut Short", "a0000000a3");
    JsonArray members = new JsonArray();
    for (int i = 0; i < 4; i++) {
      members.add(member(store.user("e0000000e" + i, "cut" + i + "@example.org", "Cut " + i).id()).put("legacyClinicianId", LEGACY));
    }
    JsonObject request = new JsonObject().put("clinicId", clinicId).put("patients", members);

    store = store.restartedAfterHaltAt("PatientCountChange:written", Catalogue.CREATE_PATIENTS_FROM_USERS, request);

    assertThat(store.mongo.count("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId))).await()).isEqualTo(5);
    assertCountsExact(clinicId, 5);
    assertThat(store.mongo.count(IntentLog.COLLECTION, new JsonObject()).await()).isZero();

    JsonArray again = batch(clinicId, members);
    assertThat(again.stream().map(JsonObject.class::cast).filter(result -> result.containsKey("patient"))).hasSize(4);
    assertThat(store.mongo.count("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId))).await()).isEqualTo(5);
    assertCountsExact(clinicId, 5);
  }

  @Test
  void aBatchNamingAUserTwiceIsRefused() {
    store = new StoreFixture(connection).deploy();
    String clinicId = clinic("Twice", "a0000000a4");
    String userId = store.user("f0000000f1", "twice@example.org", "Twice").id();

    ReplyException refused = store.failure(Catalogue.CREATE_PATIENTS_FROM_USERS,
        new JsonObject().put("clinicId", clinicId).put("patients", new JsonArray().add(member(userId)).add(member(userId))));

    assertThat(refused.failureCode()).isEqualTo(400);
    assertThat(record(clinicId, userId)).isNull();
  }

  @Test
  void concurrentAccountCreationsHaveTheOutcomesOfOneAtATime() {
    store = new StoreFixture(connection).deploy();
    String limited = clinic("Limited Accounts", "a0000000a5");
    setClinic(limited, new JsonObject().put("country", "US")
        .put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", 3))));
    String unique = clinic("Unique Accounts", "a0000000a6");
    setClinic(unique, new JsonObject().put("mrnSettings", new JsonObject().put("required", true).put("unique", true)));

    List<Future<Object>> plan = new ArrayList<>();
    List<Future<Object>> mrn = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      plan.add(createAccount(limited, new JsonObject().put("fullName", "Plan " + i)));
      mrn.add(createAccount(unique, new JsonObject().put("fullName", "Mrn " + i).put("mrn", "MRN-7")));
    }
    // one email twice, and a member without an MRN where one is required
    Future<Object> firstEmail = createAccount(unique, new JsonObject().put("fullName", "E1").put("mrn", "MRN-8").put("email", "same@example.org"));
    Future<Object> secondEmail = createAccount(unique, new JsonObject().put("fullName", "E2").put("mrn", "MRN-9").put("email", "Same@example.org"));
    Future<Object> noMrn = createAccount(unique, new JsonObject().put("fullName", "No MRN"));
    Future.join(List.of(Future.join(plan), Future.join(mrn), firstEmail, secondEmail, noMrn)).otherwiseEmpty().await();

    assertThat(statuses(plan)).containsEntry(200, 3L).containsEntry(402, 13L).hasSize(2);
    assertThat(statuses(mrn)).containsEntry(200, 1L).containsEntry(400, 15L).hasSize(2);
    assertThat(statuses(List.of(firstEmail, secondEmail))).containsEntry(200, 1L).containsEntry(409, 1L);
    assertThat(statuses(List.of(noMrn))).containsEntry(400, 1L);
    assertCountsExact(limited, 4);
    assertCountsExact(unique, 3);
    assertThat(store.mongo.count("patients", new JsonObject().put("clinicId", MongoJson.oid(unique)).put("mrn", "MRN-7")).await())
        .isEqualTo(1);
  }

  private Future<Object> createAccount(String clinicId, JsonObject body) {
    return store.send("CreatePatientAccount", Envelope.server().path("clinicId", clinicId).body(body.put("birthDate", "2004-04-04")));
  }

  private static Map<Integer, Long> statuses(List<Future<Object>> calls) {
    return calls.stream().collect(Collectors.groupingBy(call -> call.succeeded() ? 200
        : ((ReplyException) call.cause()).failureCode(), Collectors.counting()));
  }

  private String clinic(String name, String adminId) {
    return store.createClinic(store.user(adminId, adminId + "@example.org", "Admin"), name).getString("id");
  }

  private void setClinic(String clinicId, JsonObject fields) {
    store.mongo.updateCollection("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), new JsonObject().put("$set", fields))
        .await();
  }

  private void createFromUser(String clinicId, String userId, JsonObject body) {
    store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinicId).path("patientId", userId)
        .body(body.put("permissions", new JsonObject().put("view", new JsonObject()))));
  }

  private static JsonObject member(String userId) {
    return new JsonObject().put("userId", userId).put("permissions", new JsonObject().put("view", new JsonObject()));
  }

  private JsonArray batch(String clinicId, JsonArray members) {
    JsonArray results = store.object(Catalogue.CREATE_PATIENTS_FROM_USERS, new JsonObject().put("clinicId", clinicId).put("patients", members))
        .getJsonArray("results");
    assertThat(results).hasSize(members.size());
    for (int i = 0; i < members.size(); i++) {
      assertThat(results.getJsonObject(i).getString("userId")).isEqualTo(members.getJsonObject(i).getString("userId"));
    }
    return results;
  }

  private JsonObject record(String clinicId, String userId) {
    return store.mongo.findOne("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId), null).await();
  }

  private long changeRecords() {
    return store.mongo.count(ChangeRecorder.COLLECTION, new JsonObject().put("coll", "patients").put("state", "ready")).await();
  }

  /** The cached counts are a recount's: {@code total} records, the demo patient off the plan. */
  private void assertCountsExact(String clinicId, int total) {
    JsonObject cached = store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await()
        .getJsonObject("patientCount");
    assertThat(cached.getInteger("total")).isEqualTo(total);
    assertThat(cached.getInteger("plan")).isEqualTo(total - 1);
  }
}
