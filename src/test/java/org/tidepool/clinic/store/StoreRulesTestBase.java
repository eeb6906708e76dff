package org.tidepool.clinic.store;

import org.tidepool.clinic.mongo.MongoJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tidepool.clinic.platform.User;

/**
 * The store's business rules at the event-bus level, run against each MongoDB backend by a
 * subclass. One store per class; every test works in clinics of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreRulesTestBase {
  protected StoreFixture store;

  /** The connection string of the MongoDB under test. */
  protected abstract String connectionString();

  @BeforeAll
  void deployStore() {
    store = new StoreFixture(connectionString()).deploy();
  }

  @AfterAll
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected static String newUserId() {
    return String.format("%010x", ThreadLocalRandom.current().nextLong(0x10000000000L));
  }

  protected User newUser(String name) {
    String id = newUserId();
    return store.user(id, name.toLowerCase().replace(' ', '.') + "-" + id + "@Example.org", name);
  }

  private JsonObject clinicianBody(String email, String... roles) {
    return new JsonObject().put("email", email).put("roles", new JsonArray(List.of(roles)));
  }

  /** A clinic whose admin is {@code admin}, plus {@code member} as a member (through an accepted invite). */
  private JsonObject clinicWithMember(User admin, User member, String... memberRoles) {
    JsonObject clinic = store.createClinic(admin, "Clinic " + admin.id());
    String inviteId = "invite-" + member.id();
    store.object("CreateClinician", Envelope.server().path("clinicId", clinic.getString("id"))
        .body(clinicianBody(member.email(), memberRoles).put("inviteId", inviteId)));
    store.object("AssociateClinicianToUser", Envelope.server().path("clinicId", clinic.getString("id"))
        .path("inviteId", inviteId).body(new JsonObject().put("userId", member.id())));
    return clinic;
  }

  private JsonArray admins(String clinicId) {
    return store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await()
        .getJsonArray("admins");
  }

  private static void assertFailure(ReplyException failure, int code, String messagePart) {
    assertThat(failure.failureCode()).as(failure.getMessage()).isEqualTo(code);
    assertThat(failure.getMessage()).contains(messagePart);
  }

  // ---- clinics

  @Test
  void createClinicMakesTheCreatorItsFirstAdminWithDefaults() {
    User creator = newUser("Ada Admin");
    JsonObject clinic = store.object("CreateClinic", Envelope.as(creator.id()).body(new JsonObject()
        .put("name", "Sunrise Clinic").put("preferredBgUnits", "mmol/L").put("city", "Oslo")
        .put("shareCode", "AAAA-AAAA-AAAA").put("tier", "tier0400")));

    assertThat(clinic.getString("id")).matches("[a-f0-9]{24}");
    assertThat(clinic.getString("name")).isEqualTo("Sunrise Clinic");
    assertThat(clinic.getString("shareCode")).matches("[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}").isNotEqualTo("AAAA-AAAA-AAAA");
    assertThat(clinic.getString("tier")).isEqualTo("tier0100");
    assertThat(clinic.getString("tierDescription")).isEqualTo("Free");
    assertThat(clinic.getString("preferredBgUnits")).isEqualTo("mmol/L");
    assertThat(clinic.getBoolean("canMigrate")).isFalse();
    assertThat(clinic.getString("createdTime")).isNotNull();
    assertThat(clinic.getString("updatedTime")).isNotNull();

    String clinicId = clinic.getString("id");
    assertThat(admins(clinicId)).containsExactly(creator.id());
    JsonObject admin = store.object("GetClinician", Envelope.as(creator.id()).path("clinicId", clinicId).path("clinicianId", creator.id()));
    assertThat(admin.getString("id")).isEqualTo(creator.id());
    assertThat(admin.getString("email")).isEqualTo(creator.email().toLowerCase());
    assertThat(admin.getString("name")).isEqualTo("Ada Admin");
    assertThat(admin.getJsonArray("roles")).containsExactly("CLINIC_ADMIN");

    JsonObject stored = store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await();
    assertThat(stored.getString("PreferredBgUnits")).isEqualTo("mmol/L");
    assertThat(stored.getBoolean("isMigrated")).isTrue();
    assertThat(stored.getJsonArray("shareCodes")).containsExactly(clinic.getString("shareCode"));
    assertThat(stored.getJsonObject("patientCountSettings").getJsonObject("hardLimit").getInteger("plan")).isEqualTo(250);
  }

  @Test
  void createClinicAddsTheDemoPatientWithViewPermissionOnly() {
    JsonObject clinic = store.createClinic(newUser("Demo Maker"), "Demo Clinic");
    List<JsonObject> patients = store.mongo.find("patients",
        new JsonObject().put("clinicId", MongoJson.oid(clinic.getString("id")))).await();
    assertThat(patients).hasSize(1);
    assertThat(patients.get(0).getString("userId")).isEqualTo(StoreFixture.DEMO_PATIENT);
    assertThat(patients.get(0).getJsonObject("permissions").fieldNames()).containsExactly("view");
  }

  @Test
  void createClinicRejectsAnEmptyNameAndWritesNothing() {
    User creator = newUser("Empty Name");
    assertFailure(store.failure("CreateClinic", Envelope.as(creator.id()).body(new JsonObject().put("name", "").put("preferredBgUnits", "mg/dL"))),
        400, "name");
    assertFailure(store.failure("CreateClinic", Envelope.as(creator.id()).body(new JsonObject().put("name", "X").put("preferredBgUnits", "mg/L"))),
        400, "preferredBgUnits");
    long clinicians = store.mongo.count("clinicians", new JsonObject().put("userId", creator.id())).await();
    assertThat(clinicians).isZero();
  }

  @Test
  void shareCodesAreDistinctAndResolveWhateverTheCase() {
    User creator = newUser("Code Owner");
    JsonObject first = store.createClinic(creator, "First");
    JsonObject second = store.createClinic(creator, "Second");
    assertThat(first.getString("shareCode")).isNotEqualTo(second.getString("shareCode"));

    JsonObject found = store.object("GetClinicByShareCode", Envelope.as(creator.id())
        .path("shareCode", second.getString("shareCode").toLowerCase()));
    assertThat(found.getString("id")).isEqualTo(second.getString("id"));
    assertFailure(store.failure("GetClinicByShareCode", Envelope.as(creator.id()).path("shareCode", "ZZZZ-ZZZZ-ZZZZ")), 404, "ZZZZ-ZZZZ-ZZZZ");
  }

  @Test
  void aMergedClinicsOlderShareCodeStillResolves() {
    JsonObject clinic = store.createClinic(newUser("Merger"), "Merged Into");
    store.mongo.updateCollection("clinics", new JsonObject().put("_id", MongoJson.oid(clinic.getString("id"))),
        new JsonObject().put("$push", new JsonObject().put("shareCodes", "OLDC-ODE2-3456"))).await();
    JsonObject found = store.object("GetClinicByShareCode", Envelope.server().path("shareCode", "OLDC-ODE2-3456"));
    assertThat(found.getString("id")).isEqualTo(clinic.getString("id"));
    assertThat(found.getString("shareCode")).isEqualTo(clinic.getString("shareCode"));
  }

  @Test
  void getClinicNamesABadIdAndAnUnknownOne() {
    assertFailure(store.failure("GetClinic", Envelope.server().path("clinicId", "not-an-id")), 400, "clinicId");
    assertFailure(store.failure("GetClinic", Envelope.server().path("clinicId", MongoJson.newId())), 404, "not found");
  }

  @Test
  void listClinicsFiltersByShareCodeAndCreatedTimeAndPages() {
    User creator = newUser("Lister");
    JsonObject a = store.createClinic(creator, "List A");
    // clinics of earlier tests are older than the first one created here
    String before = a.getString("createdTime");
    JsonObject b = store.createClinic(creator, "List B");
    JsonObject c = store.createClinic(creator, "List C");

    JsonArray byCode = store.array("ListClinics", Envelope.server().query("shareCode", b.getString("shareCode")));
    assertThat(byCode).hasSize(1);
    assertThat(byCode.getJsonObject(0).getString("id")).isEqualTo(b.getString("id"));

    JsonArray recent = store.array("ListClinics", Envelope.server().query("createdTimeStart", before).query("limit", 100));
    assertThat(recent.stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly(a.getString("id"), b.getString("id"), c.getString("id"));
    JsonArray page = store.array("ListClinics", Envelope.server().query("createdTimeStart", before).query("offset", 1).query("limit", 1));
    assertThat(page).hasSize(1);
    assertThat(page.getJsonObject(0).getString("id")).isEqualTo(b.getString("id"));
    JsonArray none = store.array("ListClinics", Envelope.server().query("createdTimeEnd", before.toString()).query("createdTimeStart", before.toString()));
    assertThat(none).isEmpty();

    assertFailure(store.failure("ListClinics", Envelope.server().query("limit", 0)), 400, "limit");
    assertFailure(store.failure("ListClinics", Envelope.server().query("createdTimeStart", "yesterday")), 400, "createdTimeStart");
  }

  @Test
  void listClinicsFiltersByEhrIntegration() {
    User creator = newUser("Ehr Lister");
    JsonObject enabled = store.createClinic(creator, "EHR On");
    String since = enabled.getString("createdTime");
    JsonObject disabled = store.createClinic(creator, "EHR Off");
    JsonObject without = store.createClinic(creator, "No EHR");
    setEhrEnabled(enabled.getString("id"), true);
    setEhrEnabled(disabled.getString("id"), false);

    Envelope recent = Envelope.server().query("createdTimeStart", since).query("limit", 100);
    assertThat(ids(store.array("ListClinics", recent.copyEnvelope().query("ehrEnabled", true)))).containsExactly(enabled.getString("id"));
    assertThat(ids(store.array("ListClinics", recent.copyEnvelope().query("ehrEnabled", "false"))))
        .containsExactly(disabled.getString("id"), without.getString("id"));
    assertThat(store.array("ListClinics", recent.copyEnvelope())).hasSize(3);
    assertFailure(store.failure("ListClinics", recent.copyEnvelope().query("ehrEnabled", "maybe")), 400, "ehrEnabled");
  }

  private void setEhrEnabled(String clinicId, boolean enabled) {
    store.mongo.updateCollection("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), new JsonObject()
        .put("$set", new JsonObject().put("ehrSettings", new JsonObject().put("enabled", enabled).put("provider", "redox")))).await();
  }

  private static List<String> ids(JsonArray clinics) {
    return clinics.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void updateClinicChangesOnlyTheFieldsGiven() {
    User admin = newUser("Updater");
    JsonObject clinic = store.object("CreateClinic", Envelope.as(admin.id()).body(new JsonObject()
        .put("name", "Before").put("preferredBgUnits", "mg/dL").put("timezone", "Europe/Oslo")
        .put("phoneNumbers", new JsonArray().add(new JsonObject().put("number", "555-0100")))));
    JsonObject updated = store.object("UpdateClinic", Envelope.as(admin.id()).path("clinicId", clinic.getString("id"))
        .body(new JsonObject().put("name", "After").put("preferredBgUnits", "mmol/L").put("shareCode", "AAAA-AAAA-AAAA")));

    assertThat(updated.getString("name")).isEqualTo("After");
    assertThat(updated.getString("preferredBgUnits")).isEqualTo("mmol/L");
    assertThat(updated.getString("timezone")).isEqualTo("Europe/Oslo");
    assertThat(updated.getJsonArray("phoneNumbers").getJsonObject(0).getString("number")).isEqualTo("555-0100");
    assertThat(updated.getString("shareCode")).isEqualTo(clinic.getString("shareCode"));
    assertThat(store.object("GetClinic", Envelope.as(admin.id()).path("clinicId", clinic.getString("id"))).getString("name")).isEqualTo("After");

    assertFailure(store.failure("UpdateClinic", Envelope.as(admin.id()).path("clinicId", clinic.getString("id"))
        .body(new JsonObject().put("name", "  "))), 400, "name");
    assertFailure(store.failure("UpdateClinic", Envelope.as(admin.id()).path("clinicId", MongoJson.newId())
        .body(new JsonObject().put("name", "Ghost"))), 404, "not found");
  }

  @Test
  void canMigrateIsComputedForALegacyClinicWithACompleteProfile() {
    User admin = newUser("Legacy Admin");
    JsonObject clinic = store.object("CreateClinic", Envelope.as(admin.id()).body(new JsonObject()
        .put("name", "Legacy").put("preferredBgUnits", "mg/dL").put("address", "1 Main St").put("city", "Springfield")
        .put("clinicType", "provider_practice").put("country", "US").put("postalCode", "12345").put("state", "OR")));
    assertThat(clinic.getBoolean("canMigrate")).isFalse();
    store.mongo.updateCollection("clinics", new JsonObject().put("_id", MongoJson.oid(clinic.getString("id"))),
        new JsonObject().put("$set", new JsonObject().put("isMigrated", false))).await();
    assertThat(store.object("GetClinic", Envelope.server().path("clinicId", clinic.getString("id"))).getBoolean("canMigrate")).isTrue();
  }

  @Test
  void deleteClinicRefusesOneWithRealPatients() {
    User admin = newUser("Keeper");
    JsonObject clinic = store.createClinic(admin, "Has Patients");
    store.mongo.insert("patients", new JsonObject().put("_id", MongoJson.oid(MongoJson.newId()))
        .put("clinicId", MongoJson.oid(clinic.getString("id"))).put("userId", "aaaaaaaaaa")).await();
    assertFailure(store.failure("DeleteClinic", Envelope.as(admin.id()).path("clinicId", clinic.getString("id"))), 400, "non-empty");
    assertThat(store.object("GetClinic", Envelope.server().path("clinicId", clinic.getString("id")))).isNotNull();
  }

  @Test
  void deleteClinicArchivesTheClinicAndItsClinicians() {
    User admin = newUser("Closer");
    User member = newUser("Member Closer");
    JsonObject clinic = clinicWithMember(admin, member, "CLINIC_MEMBER");
    String clinicId = clinic.getString("id");

    Object reply = store.send("DeleteClinic", Envelope.as(admin.id()).path("clinicId", clinicId)).await();
    assertThat(reply).isNull();

    assertFailure(store.failure("GetClinic", Envelope.server().path("clinicId", clinicId)), 404, "not found");
    JsonObject archived = store.mongo.findOne("clinic_deletions", new JsonObject().put("clinic._id", MongoJson.oid(clinicId)), null).await();
    assertThat(archived.getString("deletedByUserId")).isEqualTo(admin.id());
    assertThat(archived.getJsonObject("clinic").getString("name")).isEqualTo(clinic.getString("name"));
    assertThat(archived.getValue("deletedTime")).isNotNull();
    assertThat(store.mongo.count("clinician_deletions", new JsonObject().put("clinician.clinicId", MongoJson.oid(clinicId))).await()).isEqualTo(2);
    assertThat(store.mongo.count("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId))).await()).isZero();
    assertThat(store.mongo.count("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId))).await()).isZero();
  }

  // ---- clinicians

  @Test
  void inviteRecordsAreCreatedReadAndAcceptedWithTheUsersName() {
    User admin = newUser("Inviter");
    User invitee = newUser("Ivy Invitee");
    String clinicId = store.createClinic(admin, "Inviting").getString("id");
    JsonObject invite = store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("Ivy@Example.org", "CLINIC_ADMIN", "PRESCRIBER").put("inviteId", "inv-1")));
    assertThat(invite.containsKey("id")).isFalse();
    assertThat(invite.getString("inviteId")).isEqualTo("inv-1");
    assertThat(invite.getString("email")).isEqualTo("ivy@example.org");
    assertThat(admins(clinicId)).containsExactly(admin.id());

    JsonObject read = store.object("GetInvitedClinician", Envelope.server().path("clinicId", clinicId).path("inviteId", "inv-1"));
    assertThat(read.getJsonArray("roles")).containsExactly("CLINIC_ADMIN", "PRESCRIBER");

    JsonObject accepted = store.object("AssociateClinicianToUser", Envelope.server().path("clinicId", clinicId)
        .path("inviteId", "inv-1").body(new JsonObject().put("userId", invitee.id())));
    assertThat(accepted.getString("id")).isEqualTo(invitee.id());
    assertThat(accepted.getString("name")).isEqualTo("Ivy Invitee");
    assertThat(accepted.containsKey("inviteId")).isFalse();
    assertThat(admins(clinicId)).containsExactlyInAnyOrder(admin.id(), invitee.id());
    assertFailure(store.failure("GetInvitedClinician", Envelope.server().path("clinicId", clinicId).path("inviteId", "inv-1")), 404, "inv-1");
  }

  @Test
  void membersAreUniquePerClinicByUserInviteAndEmail() {
    User admin = newUser("Unique Admin");
    String clinicId = store.createClinic(admin, "Unique").getString("id");
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("one@example.org", "CLINIC_MEMBER").put("inviteId", "inv-a")));
    assertFailure(store.failure("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("ONE@example.org", "CLINIC_MEMBER").put("inviteId", "inv-b"))), 409, "already a member");
    assertFailure(store.failure("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("two@example.org", "CLINIC_MEMBER").put("inviteId", "inv-a"))), 409, "already a member");
    assertFailure(store.failure("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("three@example.org", "CLINIC_MEMBER").put("id", admin.id()))), 409, "already a member");
    // the same person may be invited to another clinic
    String other = store.createClinic(admin, "Other").getString("id");
    store.object("CreateClinician", Envelope.server().path("clinicId", other)
        .body(clinicianBody("one@example.org", "CLINIC_MEMBER").put("inviteId", "inv-a")));
  }

  @Test
  void concurrentInvitesOfTheSameEmailLeaveOneRecord() {
    String clinicId = store.createClinic(newUser("Race Host"), "Race").getString("id");
    List<Future<Object>> attempts = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      attempts.add(store.send("CreateClinician", Envelope.server().path("clinicId", clinicId)
          .body(clinicianBody("same@example.org", "CLINIC_MEMBER").put("inviteId", "race-" + i))));
    }
    Future.join(attempts).otherwiseEmpty().await();
    assertThat(attempts.stream().filter(Future::succeeded)).hasSize(1);
    attempts.stream().filter(Future::failed).forEach(f -> assertThat(((ReplyException) f.cause()).failureCode()).isEqualTo(409));
    assertThat(store.mongo.count("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId))
        .put("email", "same@example.org")).await()).isEqualTo(1);
  }

  @Test
  void oneUserAcceptingTwoInvitesOfAClinicAtOnceBecomesOneMember() {
    User admin = newUser("Double Host");
    User invitee = newUser("Double Invitee");
    String clinicId = store.createClinic(admin, "Double").getString("id");
    for (String inviteId : List.of("dbl-1", "dbl-2")) {
      store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
          .body(clinicianBody(inviteId + "@example.org", "CLINIC_MEMBER").put("inviteId", inviteId)));
    }
    Future<Object> first = store.send("AssociateClinicianToUser", Envelope.server().path("clinicId", clinicId)
        .path("inviteId", "dbl-1").body(new JsonObject().put("userId", invitee.id())));
    Future<Object> second = store.send("AssociateClinicianToUser", Envelope.server().path("clinicId", clinicId)
        .path("inviteId", "dbl-2").body(new JsonObject().put("userId", invitee.id())));
    Future.join(first, second).otherwiseEmpty().await();

    assertThat(List.of(first, second).stream().filter(Future::succeeded)).hasSize(1);
    Future<Object> refused = first.failed() ? first : second;
    assertFailure((ReplyException) refused.cause(), 409, "already a member");
    assertThat(store.mongo.count("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId))
        .put("userId", invitee.id())).await()).isEqualTo(1);
    assertThat(store.mongo.count("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId))
        .put("inviteId", new JsonObject().put("$exists", true))).await()).isEqualTo(1);
  }

  @Test
  void rolesAndInvitesAreValidated() {
    User admin = newUser("Validator");
    String clinicId = store.createClinic(admin, "Valid").getString("id");
    assertFailure(store.failure("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("x@example.org", "CLINIC_OWNER"))), 400, "CLINIC_OWNER");
    assertFailure(store.failure("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("x@example.org"))), 400, "roles");
    assertFailure(store.failure("UpdateClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", admin.id())
        .body(clinicianBody(admin.email(), "CLINIC_ADMIN", "CLINIC_ADMIN"))), 400, "twice");
    assertFailure(store.failure("GetClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", "0000000000")), 404, "0000000000");
  }

  @Test
  void aRoleChangeIsAuditedAndKeepsAdminsInStep() {
    User admin = newUser("Auditor");
    User member = newUser("Promoted Member");
    String clinicId = clinicWithMember(admin, member, "CLINIC_MEMBER").getString("id");

    JsonObject promoted = store.object("UpdateClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", member.id())
        .body(clinicianBody(member.email(), "CLINIC_ADMIN").put("name", "Dr Promoted")));
    assertThat(promoted.getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(promoted.getString("name")).isEqualTo("Dr Promoted");
    assertThat(admins(clinicId)).containsExactlyInAnyOrder(admin.id(), member.id());

    JsonObject stored = store.mongo.findOne("clinicians", new JsonObject().put("userId", member.id()), null).await();
    assertThat(stored.getJsonArray("rolesUpdates")).hasSize(1);
    assertThat(stored.getJsonArray("rolesUpdates").getJsonObject(0))
        .isEqualTo(new JsonObject().put("roles", new JsonArray().add("CLINIC_ADMIN")).put("updatedBy", admin.id()));

    // a name-only change records no role update
    store.object("UpdateClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", member.id())
        .body(clinicianBody(member.email(), "CLINIC_ADMIN").put("name", "Dr P")));
    stored = store.mongo.findOne("clinicians", new JsonObject().put("userId", member.id()), null).await();
    assertThat(stored.getJsonArray("rolesUpdates")).hasSize(1);

    store.object("UpdateClinician", Envelope.as(member.id()).path("clinicId", clinicId).path("clinicianId", admin.id())
        .body(clinicianBody(admin.email(), "CLINIC_MEMBER")));
    assertThat(admins(clinicId)).containsExactly(member.id());
  }

  @Test
  void theLastAdminCanNeitherBeDemotedNorRemoved() {
    User admin = newUser("Only Admin");
    User member = newUser("Plain Member");
    String clinicId = clinicWithMember(admin, member, "CLINIC_MEMBER").getString("id");

    assertFailure(store.failure("UpdateClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", admin.id())
        .body(clinicianBody(admin.email(), "CLINIC_MEMBER"))), 422, "the clinic must have at least one admin");
    assertFailure(store.failure("DeleteClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", admin.id())),
        422, "the clinic must have at least one admin");
    JsonObject still = store.object("GetClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", admin.id()));
    assertThat(still.getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(admins(clinicId)).containsExactly(admin.id());

    // a member may leave
    assertThat(store.send("DeleteClinician", Envelope.as(member.id()).path("clinicId", clinicId).path("clinicianId", member.id())).await()).isNull();
    JsonObject archived = store.mongo.findOne("clinician_deletions", new JsonObject().put("clinician.userId", member.id()), null).await();
    assertThat(archived.getString("deletedByUserId")).isEqualTo(member.id());
    assertFailure(store.failure("GetClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", member.id())), 404, member.id());
  }

  /** Deletes the member as soon as {@code creation} has made it one: retried while it answers 404. */
  private Future<Object> deleteOnceMember(String clinicId, String userId, Future<Object> creation) {
    return store.send("DeleteClinician", Envelope.server().path("clinicId", clinicId).path("clinicianId", userId))
        .recover(failure -> failure instanceof ReplyException reply && reply.failureCode() == 404 && !creation.failed()
            ? deleteOnceMember(clinicId, userId, creation)
            : Future.failedFuture(failure));
  }

  @Test
  void anAdminRemovedWhileBeingAddedLeavesNoTraceInAdmins() {
    for (int round = 0; round < 12; round++) {
      User admin = newUser("Steady Admin");
      String clinicId = store.createClinic(admin, "Churn " + round).getString("id");
      String newcomer = newUserId();
      Future<Object> created = store.send("CreateClinician", Envelope.server().path("clinicId", clinicId)
          .body(clinicianBody(newcomer + "@example.org", "CLINIC_ADMIN").put("id", newcomer)));
      Future<Object> deleted = deleteOnceMember(clinicId, newcomer, created);
      Future.join(created, deleted).otherwiseEmpty().await();

      assertThat(created.succeeded()).as("round " + round + ": " + created.cause()).isTrue();
      assertThat(deleted.succeeded()).as("round " + round + ": " + deleted.cause()).isTrue();
      assertThat(admins(clinicId)).as("round " + round).containsExactly(admin.id());
    }
  }

  @Test
  void concurrentDemotionsAndRemovalsOfTheLastTwoAdminsNeverLeaveNone() {
    for (int round = 0; round < 8; round++) {
      User first = newUser("First Admin");
      User second = newUser("Second Admin");
      String clinicId = clinicWithMember(first, second, "CLINIC_ADMIN").getString("id");
      assertThat(admins(clinicId)).hasSize(2);

      Future<Object> a = round % 2 == 0
          ? store.send("UpdateClinician", Envelope.as(first.id()).path("clinicId", clinicId).path("clinicianId", first.id())
              .body(clinicianBody(first.email(), "CLINIC_MEMBER")))
          : store.send("DeleteClinician", Envelope.as(first.id()).path("clinicId", clinicId).path("clinicianId", first.id()));
      Future<Object> b = store.send("DeleteClinician", Envelope.as(second.id()).path("clinicId", clinicId).path("clinicianId", second.id()));
      Future.join(a, b).otherwiseEmpty().await();

      assertThat(List.of(a, b).stream().filter(Future::succeeded)).as("round " + round).hasSize(1);
      Future<Object> refused = a.failed() ? a : b;
      assertThat(((ReplyException) refused.cause()).failureCode()).isEqualTo(422);
      JsonArray admins = admins(clinicId);
      assertThat(admins).hasSize(1);
      long adminRecords = store.mongo.count("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId))
          .put("roles", "CLINIC_ADMIN")).await();
      assertThat(adminRecords).isEqualTo(1);
      JsonObject remaining = store.mongo.findOne("clinicians", new JsonObject().put("clinicId", MongoJson.oid(clinicId))
          .put("roles", "CLINIC_ADMIN"), null).await();
      assertThat(admins).containsExactly(remaining.getString("userId"));
    }
  }

  @Test
  void clinicianWritesAreRefusedOnAClinicThatIsNotMigrated() {
    User admin = newUser("Unmigrated Admin");
    String clinicId = store.createClinic(admin, "Unmigrated").getString("id");
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("pending@example.org", "CLINIC_MEMBER").put("inviteId", "inv-u")));
    store.mongo.updateCollection("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)),
        new JsonObject().put("$set", new JsonObject().put("isMigrated", false))).await();

    Envelope member = Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", admin.id());
    assertFailure(store.failure("UpdateClinician", member.body(clinicianBody(admin.email(), "CLINIC_ADMIN", "PRESCRIBER"))), 422, "clinic is not migrated");
    assertFailure(store.failure("DeleteClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", admin.id())), 422, "clinic is not migrated");
    assertFailure(store.failure("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("new@example.org", "CLINIC_MEMBER"))), 422, "clinic is not migrated");
    Envelope invite = Envelope.server().path("clinicId", clinicId).path("inviteId", "inv-u");
    assertFailure(store.failure("AssociateClinicianToUser", invite.copyEnvelope().body(new JsonObject().put("userId", newUserId()))), 422, "clinic is not migrated");
    assertFailure(store.failure("DeleteInvitedClinician", invite), 422, "clinic is not migrated");
    store.serviceAccountsByClient.put("unmigrated-client", newUserId());
    assertFailure(store.failure("AddServiceAccount", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("name", "Robot").put("client_id", "unmigrated-client").put("client_secret", "secret"))), 422, "clinic is not migrated");
    // reads still work
    assertThat(store.array("ListClinicians", Envelope.as(admin.id()).path("clinicId", clinicId))).hasSize(2);
  }

  @Test
  void listCliniciansSearchesNamesAndEmailsAsLiteralSubstrings() {
    User admin = newUser("Search Admin");
    String clinicId = store.createClinic(admin, "Searchable").getString("id");
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("dr.who+tardis@example.org", "CLINIC_MEMBER", "PRESCRIBER").put("inviteId", "s1").put("name", "The Doctor (Who)")));
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("nurse@example.org", "CLINIC_MEMBER").put("inviteId", "s2").put("name", "Nurse Joy")));

    Envelope list = Envelope.as(admin.id()).path("clinicId", clinicId);
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("search", "DOCTOR (w")))).containsExactly("The Doctor (Who)");
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("search", "who+tardis")))).containsExactly("The Doctor (Who)");
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("search", ".*")))).isEmpty();
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("search", "JOY")))).containsExactly("Nurse Joy");
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("email", "Nurse@Example.org")))).containsExactly("Nurse Joy");
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("role", "PRESCRIBER")))).containsExactly("The Doctor (Who)");
    // newest first, as upstream lists clinicians (createdTime descending)
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("role", "CLINIC_MEMBER")))).containsExactly("Nurse Joy", "The Doctor (Who)");
    assertThat(names(store.array("ListClinicians", list.copyEnvelope()))).containsExactly("Nurse Joy", "The Doctor (Who)", "Search Admin");
    assertThat(names(store.array("ListClinicians", list.copyEnvelope().query("offset", 2).query("limit", 1)))).containsExactly("Search Admin");
    assertFailure(store.failure("ListClinicians", list.copyEnvelope().query("offset", -1)), 400, "offset");
  }

  @Test
  void listClinicsForAClinicianAndAllCliniciansPairThemWithTheirClinics() {
    User admin = newUser("Many Clinics");
    Instant before = Instant.now().minusMillis(5);
    String first = store.createClinic(admin, "Mine 1").getString("id");
    String second = store.createClinic(admin, "Mine 2").getString("id");

    JsonArray mine = store.array("ListClinicsForClinician", Envelope.as(admin.id()).path("userId", admin.id()));
    assertThat(mine.stream().map(o -> ((JsonObject) o).getJsonObject("clinic").getString("id"))).containsExactly(second, first);
    assertThat(mine.getJsonObject(0).getJsonObject("clinician").getString("id")).isEqualTo(admin.id());
    JsonArray paged = store.array("ListClinicsForClinician", Envelope.as(admin.id()).path("userId", admin.id()).query("offset", 1));
    assertThat(paged.stream().map(o -> ((JsonObject) o).getJsonObject("clinic").getString("id"))).containsExactly(first);

    store.object("CreateClinician", Envelope.server().path("clinicId", second)
        .body(clinicianBody("pending-report@example.org", "CLINIC_MEMBER").put("inviteId", "inv-report")));

    // every relationship, pending invites included (as upstream reports them), newest first
    JsonArray all = store.array("ListAllClinicians", Envelope.server().query("createdTimeStart", before.toString()).query("limit", 50));
    assertThat(all).hasSize(3);
    assertThat(all.getJsonObject(0).getJsonObject("clinician").getString("inviteId")).isEqualTo("inv-report");
    assertThat(all.getJsonObject(0).getJsonObject("clinic").getString("id")).isEqualTo(second);
    assertThat(all.stream().map(o -> ((JsonObject) o).getJsonObject("clinician").getString("id")).filter(admin.id()::equals)).hasSize(2);
    JsonArray none = store.array("ListAllClinicians", Envelope.server().query("createdTimeEnd", before.toString()).query("createdTimeStart", before.toString()));
    assertThat(none).isEmpty();
  }

  @Test
  void serviceAccountsJoinAsMembers() {
    User admin = newUser("Robot Owner");
    String clinicId = store.createClinic(admin, "Robots").getString("id");
    String robotId = newUserId();
    store.serviceAccountsByClient.put("robot-client", robotId);

    JsonObject robot = store.object("AddServiceAccount", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("name", "Robot").put("client_id", "robot-client").put("client_secret", "secret")));
    assertThat(robot.getString("id")).isEqualTo(robotId);
    assertThat(robot.getJsonArray("roles")).containsExactly("CLINIC_MEMBER");
    // a service account has no email; the contract's clinician.v1 makes it optional
    assertThat(robot.containsKey("email")).isFalse();
    JsonObject stored = store.mongo.findOne("clinicians", new JsonObject().put("userId", robotId), null).await();
    assertThat(stored.getBoolean("isServiceAccount")).isTrue();

    assertFailure(store.failure("AddServiceAccount", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("name", "Robot").put("client_id", "robot-client").put("client_secret", "secret"))), 409, "already a member");
    assertFailure(store.failure("AddServiceAccount", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("name", "Robot").put("client_id", "robot-client").put("client_secret", "wrong"))), 401, "client credentials");
    assertFailure(store.failure("AddServiceAccount", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("name", "Robot").put("client_id", "robot-client"))), 400, "client_secret");
  }

  @Test
  void deletingAnInviteArchivesIt() {
    String clinicId = store.createClinic(newUser("Invite Dropper"), "Drop").getString("id");
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId)
        .body(clinicianBody("gone@example.org", "CLINIC_MEMBER").put("inviteId", "inv-gone")));
    assertThat(store.send("DeleteInvitedClinician", Envelope.server().path("clinicId", clinicId).path("inviteId", "inv-gone")).await()).isNull();
    assertFailure(store.failure("GetInvitedClinician", Envelope.server().path("clinicId", clinicId).path("inviteId", "inv-gone")), 404, "inv-gone");
    assertThat(store.mongo.count("clinician_deletions", new JsonObject().put("clinician.inviteId", "inv-gone")).await()).isEqualTo(1);
    assertFailure(store.failure("DeleteInvitedClinician", Envelope.server().path("clinicId", clinicId).path("inviteId", "inv-gone")), 404, "inv-gone");
  }

  @Test
  void internalActionsAnswerRolesNoticesAndReadiness() {
    User admin = newUser("Notice Admin");
    User outsider = newUser("Out Sider");
    String clinicId = store.createClinic(admin, "Noticed").getString("id");

    assertThat(store.object("CallerClinicianRoles", new JsonObject().put("clinicId", clinicId).put("userId", admin.id())).getJsonArray("roles"))
        .containsExactly("CLINIC_ADMIN");
    assertThat(store.object("CallerClinicianRoles", new JsonObject().put("clinicId", clinicId).put("userId", outsider.id())).getJsonArray("roles"))
        .isEmpty();
    assertThat(store.object("CallerClinicianRoles", new JsonObject().put("clinicId", "bad").put("userId", admin.id())).getJsonArray("roles"))
        .isEmpty();

    JsonObject notice = store.object("ClinicianNotice", new JsonObject().put("clinicId", clinicId).put("userId", admin.id()));
    assertThat(notice).isEqualTo(new JsonObject().put("clinicName", "Noticed").put("clinicianName", "Notice Admin")
        .put("clinicianEmail", admin.email().toLowerCase()));
    JsonObject unknown = store.object("ClinicianNotice", new JsonObject().put("clinicId", clinicId).put("userId", "ffffffffff"));
    assertThat(unknown.getValue("clinicianName")).isNull();
    assertThat(unknown.getString("clinicName")).isEqualTo("Noticed");

    assertThat(store.object("Ready", new JsonObject())).isEqualTo(new JsonObject());
  }

  /** Concurrent creates of one clinic: the clinic's lock lets exactly the allowed ones through. */
  private List<Integer> createPatientsAtOnce(String clinicId, User caller, int count, java.util.function.IntFunction<JsonObject> body) {
    List<Future<Object>> sent = new java.util.ArrayList<>();
    for (int n = 0; n < count; n++) {
      sent.add(store.send("CreatePatientAccount", Envelope.as(caller.id()).path("clinicId", clinicId).body(body.apply(n))));
    }
    Future.join(sent).otherwiseEmpty().await();
    return sent.stream().map(future -> future.succeeded() ? 200 : ((ReplyException) future.cause()).failureCode()).toList();
  }

  @Test
  void concurrentCreatesKeepMrnsUniqueAndTheLimit() {
    User admin = newUser("Busy Admin");
    String clinicId = store.createClinic(admin, "Busy Clinic").getString("id");
    JsonObject byId = new JsonObject().put("_id", new JsonObject().put("$oid", clinicId));
    store.mongo.updateCollection("clinics", byId, new JsonObject().put("$set", new JsonObject()
        .put("mrnSettings", new JsonObject().put("required", true).put("unique", true))
        .put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", 3))))).await();

    List<Integer> sameMrn = createPatientsAtOnce(clinicId, admin, 6,
        n -> new JsonObject().put("fullName", "Twin " + n).put("birthDate", "2000-01-01").put("mrn", "SAME"));
    assertThat(sameMrn.stream().filter(status -> status == 200).count()).isEqualTo(1);
    assertThat(sameMrn.stream().filter(status -> status != 200)).allMatch(status -> status == 400);

    List<Integer> overLimit = createPatientsAtOnce(clinicId, admin, 6,
        n -> new JsonObject().put("fullName", "Patient " + n).put("birthDate", "2000-01-01").put("mrn", "M" + n));
    assertThat(overLimit.stream().filter(status -> status == 200).count()).isEqualTo(2);
    assertThat(overLimit.stream().filter(status -> status != 200)).allMatch(status -> status == 402);
    assertThat(store.mongo.count("patients", new JsonObject().put("clinicId", byId.getValue("_id"))
        .put("userId", new JsonObject().put("$ne", StoreFixture.DEMO_PATIENT))).await()).isEqualTo(3);
  }

  // ---- migrations

  /**
   * One migration per legacy account across all clinics: of two clinics asking at once (each under
   * its own lock, so both pass the service's check) one gets the migration, the other a 409 from
   * the unique index; a duplicate written past the service is refused by the index itself.
   */
  @Test
  void aLegacyAccountIsMigratedOnceEvenWhenTwoClinicsAskAtOnce() {
    String legacyId = newUserId();
    User legacy = store.legacyClinicAccount(legacyId, "legacy-" + legacyId + "@example.org", "Legacy Doc");
    List<String> clinicIds = List.of(clinicWithMember(newUser("First Admin"), legacy, "CLINIC_MEMBER").getString("id"),
        clinicWithMember(newUser("Second Admin"), legacy, "CLINIC_MEMBER").getString("id"));
    List<Future<Object>> sent = clinicIds.stream().map(clinicId -> store.send("MigrateLegacyClinicianPatients",
        Envelope.server().path("clinicId", clinicId).body(new JsonObject().put("userId", legacy.id())))).toList();
    Future.join(sent).otherwiseEmpty().await();

    List<Integer> statuses = sent.stream().map(future -> future.succeeded() ? 202 : ((ReplyException) future.cause()).failureCode())
        .sorted().toList();
    assertThat(statuses).isEqualTo(List.of(202, 409));
    assertThat(sent.stream().filter(Future::failed).findFirst().orElseThrow().cause().getMessage()).contains("has a migration already");
    JsonObject byUser = new JsonObject().put("userId", legacy.id());
    assertThat(store.mongo.count("migrations", byUser).await()).isEqualTo(1);
    JsonObject duplicate = byUser.copy().put("clinicId", MongoJson.oid(clinicIds.get(0))).put("status", "PENDING");
    Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
        () -> store.mongo.insert("migrations", duplicate).await());
    assertThat(MongoJson.isDuplicateKey(refused)).as(refused.toString()).isTrue();
    assertThat(store.mongo.count("migrations", byUser).await()).isEqualTo(1);
  }

  private static List<String> names(JsonArray clinicians) {
    return clinicians.stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }
}
