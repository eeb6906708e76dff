package org.tidepool.clinic.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.InterruptedStoreTestBase;
import org.tidepool.clinic.store.StoreFixture;

/**
 * Every multi-document operation stopped for good after each of its steps (as a process killed
 * there), then a new store started on the same database: the operation is complete, or not
 * visible at all, and no unfinished intent is left.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedOperationsTest extends InterruptedStoreTestBase {
  private static final AtomicInteger USERS = new AtomicInteger();

  /** A fresh database with a store halting at {@code haltAt} once {@code setUp} has run on a normal store. */
  private StoreFixture storeOnNewDatabase() {
    store = new StoreFixture(connection).deploy();
    return store;
  }

  /** A crash at {@code haltAt} in the middle of {@code action}, then a restart: nothing unfinished is left. */
  private void haltThenRestart(String haltAt, String action, JsonObject envelope) throws Exception {
    store = store.restartedAfterHaltAt(haltAt, action, envelope);
    assertThat(count(store, IntentLog.COLLECTION, new JsonObject())).as("no unfinished operation after start-up").isZero();
  }

  private User newUser(String name) {
    String id = String.format("%010x", 0xb00000L + USERS.incrementAndGet());
    return store.user(id, name.toLowerCase().replace(' ', '.') + "@example.org", name);
  }

  private JsonObject clinicDocument(String clinicId) {
    return store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await();
  }

  private JsonObject clinician(String clinicId, String userId) {
    return store.mongo.findOne("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId), null).await();
  }

  private static long count(StoreFixture fixture, String collection, JsonObject query) {
    return fixture.mongo.count(collection, query).await();
  }

  private long count(String collection, JsonObject query) {
    return count(store, collection, query);
  }

  private String addMember(String clinicId, User member, String... roles) {
    String inviteId = "invite-" + member.id();
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(new JsonObject().put("email", member.email()).put("roles", new JsonArray(List.of(roles))).put("inviteId", inviteId)));
    store.object("AssociateClinicianToUser", Envelope.server().path("clinicId", clinicId)
        .path("inviteId", inviteId).body(new JsonObject().put("userId", member.id())));
    return inviteId;
  }

  private JsonObject roles(String... roles) {
    return new JsonObject().put("roles", new JsonArray(List.of(roles)));
  }

  // --- CreateClinic: the clinic is written last, so a creation cut short leaves nothing

  @Test
  void aClinicCreationStoppedAfterItsAdminLeavesNothing() throws Exception {
    assertCreationNotVisible("CreateClinic:admin-inserted");
  }

  @Test
  void aClinicCreationStoppedAfterItsDemoPatientLeavesNothing() throws Exception {
    assertCreationNotVisible("CreateClinic:demo-patient-added");
  }

  private void assertCreationNotVisible(String haltAt) throws Exception {
    storeOnNewDatabase();
    User creator = newUser("Cut Short");
    haltThenRestart(haltAt, "CreateClinic", Envelope.as(creator.id())
        .body(new JsonObject().put("name", "Interrupted").put("preferredBgUnits", "mg/dL")));

    assertThat(count("clinics", new JsonObject())).isZero();
    assertThat(count("clinicians", new JsonObject().put("userId", creator.id()))).isZero();
    assertThat(count("patients", new JsonObject())).isZero();
    assertThat(store.array("ListClinicsForClinician", Envelope.as(creator.id()).path("userId", creator.id()))).isEmpty();
    // the creator can create it again, completely
    String clinicId = store.createClinic(creator, "Interrupted").getString("id");
    assertThat(clinicDocument(clinicId).getJsonArray("admins")).containsExactly(creator.id());
    assertThat(clinician(clinicId, creator.id()).getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(count("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", StoreFixture.DEMO_PATIENT))).isEqualTo(1);
  }

  // --- DeleteClinic: a decided deletion is finished, each document archived once

  @Test
  void aClinicDeletionStoppedAfterTheClinicsArchiveIsFinished() throws Exception {
    assertDeletionFinished("DeleteClinic:clinic-archived");
  }

  @Test
  void aClinicDeletionStoppedAfterItsCliniciansIsFinished() throws Exception {
    assertDeletionFinished("DeleteClinic:clinicians-deleted");
  }

  private void assertDeletionFinished(String haltAt) throws Exception {
    storeOnNewDatabase();
    User admin = newUser("Closing Admin");
    User member = newUser("Closing Member");
    String clinicId = store.createClinic(admin, "Closing").getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER");

    haltThenRestart(haltAt, "DeleteClinic", Envelope.as(admin.id()).path("clinicId", clinicId));

    assertThat(clinicDocument(clinicId)).isNull();
    assertThat(count("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId)))).isZero();
    assertThat(count("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId)))).isZero();
    assertThat(count("clinic_deletions", new JsonObject().put("clinic._id", MongoJson.oid(clinicId)))).isEqualTo(1);
    assertThat(count("clinician_deletions", new JsonObject().put("clinician.clinicId", MongoJson.oid(clinicId)))).isEqualTo(2);
    assertThat(store.mongo.findOne("clinic_deletions", new JsonObject(), null).await().getString("deletedByUserId")).isEqualTo(admin.id());
  }

  // --- clinician changes: the clinician record decides; admins follow it

  @Test
  void aPromotionStoppedAfterTheAdminsChangedIsNotVisible() throws Exception {
    storeOnNewDatabase();
    User admin = newUser("Promoting Admin");
    User member = newUser("Almost Admin");
    String clinicId = store.createClinic(admin, "Promoting").getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER");

    haltThenRestart("ClinicianChange:admins-changed", "UpdateClinician", Envelope.as(admin.id())
        .path("clinicId", clinicId).path("clinicianId", member.id()).body(roles("CLINIC_ADMIN")));

    assertThat(clinician(clinicId, member.id()).getJsonArray("roles")).containsExactly("CLINIC_MEMBER");
    assertThat(clinicDocument(clinicId).getJsonArray("admins")).containsExactly(admin.id());
  }

  @Test
  void aDemotionStoppedAfterTheAdminsChangedIsNotVisible() throws Exception {
    storeOnNewDatabase();
    User admin = newUser("Staying Admin");
    User other = newUser("Still Admin");
    String clinicId = store.createClinic(admin, "Demoting").getString("id");
    addMember(clinicId, other, "CLINIC_ADMIN");

    haltThenRestart("ClinicianChange:admins-changed", "UpdateClinician", Envelope.as(admin.id())
        .path("clinicId", clinicId).path("clinicianId", other.id()).body(roles("CLINIC_MEMBER")));

    assertThat(clinician(clinicId, other.id()).getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(clinicDocument(clinicId).getJsonArray("admins")).containsExactlyInAnyOrder(admin.id(), other.id());
  }

  @Test
  void aMemberRemovalStoppedAfterTheAdminsChangedIsNotVisible() throws Exception {
    assertRemovalNotVisible("ClinicianChange:admins-changed");
  }

  @Test
  void aMemberRemovalStoppedAfterTheArchiveIsNotVisible() throws Exception {
    assertRemovalNotVisible("ClinicianChange:archived");
  }

  private void assertRemovalNotVisible(String haltAt) throws Exception {
    storeOnNewDatabase();
    User admin = newUser("Remaining Admin");
    User leaving = newUser("Leaving Admin");
    String clinicId = store.createClinic(admin, "Leaving").getString("id");
    addMember(clinicId, leaving, "CLINIC_ADMIN");

    haltThenRestart(haltAt, "DeleteClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", leaving.id()));

    assertThat(clinician(clinicId, leaving.id())).isNotNull();
    assertThat(clinicDocument(clinicId).getJsonArray("admins")).containsExactlyInAnyOrder(admin.id(), leaving.id());
    assertThat(count("clinician_deletions", new JsonObject())).isZero();
    // and it can be done again, completely
    store.send("DeleteClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", leaving.id())).await();
    assertThat(clinicDocument(clinicId).getJsonArray("admins")).containsExactly(admin.id());
    assertThat(count("clinician_deletions", new JsonObject())).isEqualTo(1);
  }

  @Test
  void anAdminAddedAndStoppedBeforeJoiningTheAdminsJoinsThem() throws Exception {
    assertWrittenRecordJoinsAdmins(clinicId -> {
      User user = newUser("Direct Admin");
      return new Request("CreateClinician", Envelope.server().path("clinicId", clinicId)
          .body(new JsonObject().put("id", user.id()).put("email", user.email()).put("roles", new JsonArray().add("CLINIC_ADMIN"))), user);
    });
  }

  @Test
  void anAcceptedAdminInviteStoppedBeforeJoiningTheAdminsJoinsThem() throws Exception {
    assertWrittenRecordJoinsAdmins(clinicId -> {
      User user = newUser("Invited Admin");
      store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
          .body(new JsonObject().put("email", user.email()).put("roles", new JsonArray().add("CLINIC_ADMIN")).put("inviteId", "inv-admin")));
      return new Request("AssociateClinicianToUser", Envelope.server().path("clinicId", clinicId)
          .path("inviteId", "inv-admin").body(new JsonObject().put("userId", user.id())), user);
    });
  }

  private record Request(String action, JsonObject envelope, User user) {}

  private void assertWrittenRecordJoinsAdmins(Function<String, Request> request) throws Exception {
    storeOnNewDatabase();
    User admin = newUser("First Admin");
    String clinicId = store.createClinic(admin, "Joining").getString("id");
    Request joining = request.apply(clinicId);

    haltThenRestart("ClinicianChange:clinician-written", joining.action(), joining.envelope());

    assertThat(clinician(clinicId, joining.user().id()).getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(clinicDocument(clinicId).getJsonArray("admins")).containsExactlyInAnyOrder(admin.id(), joining.user().id());
  }
}
