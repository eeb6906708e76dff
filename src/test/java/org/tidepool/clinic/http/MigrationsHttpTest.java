package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The legacy-clinic migration operations over HTTP (rule 29, D6, D7, D26), with legacy clinic
 * accounts (shoreline role {@code clinic}) in the embedded user directory.
 */
class MigrationsHttpTest extends HttpTestBase {
  private static final String UNKNOWN_CLINIC = "0123456789abcdef01234567";

  private static String enable(String userId) {
    return "/v1/clinicians/" + userId + "/migrate";
  }

  private static String trigger(String clinicId) {
    return "/v1/clinics/" + clinicId + "/migrate";
  }

  private static String migrations(String clinicId) {
    return "/v1/clinics/" + clinicId + "/migrations";
  }

  private static String migration(String clinicId, String userId) {
    return migrations(clinicId) + "/" + userId;
  }

  private static JsonObject oid(String hex) {
    return new JsonObject().put("$oid", hex);
  }

  /** A user the directory knows, with the given platform roles. */
  private Person account(String name, String... roles) {
    Person person = person(name);
    stack.platformDb().save("users", new JsonObject().put("_id", person.id()).put("email", person.email())
        .put("fullName", person.name()).put("roles", new JsonArray(List.of(roles)))).await();
    return person;
  }

  private Person legacy(String name) {
    return account(name, "clinic");
  }

  private void setRoles(Person person, String... roles) {
    stack.platformDb().updateCollection("users", new JsonObject().put("_id", person.id()),
        new JsonObject().put("$set", new JsonObject().put("roles", new JsonArray(List.of(roles))))).await();
  }

  private JsonObject storedClinic(String clinicId) {
    return stack.clinicDb().findOne("clinics", new JsonObject().put("_id", oid(clinicId)), null).await();
  }

  private List<JsonObject> storedMigrations(String userId) {
    return stack.clinicDb().find("migrations", new JsonObject().put("userId", userId)).await();
  }

  private String enabledClinic(Person legacy) {
    return ok(call(HttpMethod.POST, enable(legacy.id()), server, null)).getString("id");
  }

  private static JsonObject completeProfile(String name) {
    return new JsonObject().put("name", name).put("address", "1 Main St").put("city", "Springfield").put("state", "CA")
        .put("postalCode", "90000").put("country", "US").put("clinicType", "provider_practice").put("preferredBgUnits", "mg/dL");
  }

  /** A legacy account's enabled clinic with a complete profile, ready for its migration. */
  private String readyClinic(Person legacy) {
    String clinicId = enabledClinic(legacy);
    ok(call(HttpMethod.PUT, "/v1/clinics/" + clinicId, legacy.token(), completeProfile("Practice of " + legacy.name())));
    return clinicId;
  }

  /** A migrated clinic (a normal creation) of a new admin, with {@code members} as its members. */
  private String migratedClinic(String name, Person... members) {
    String clinicId = createClinic(person(name + " Admin"), name).getString("id");
    for (Person member : members) {
      addMember(clinicId, member, "CLINIC_MEMBER");
    }
    return clinicId;
  }

  private HttpResponse<Buffer> migrate(String clinicId, String userId) {
    return call(HttpMethod.POST, migrations(clinicId), server, new JsonObject().put("userId", userId));
  }

  private HttpResponse<Buffer> update(String clinicId, String userId, JsonObject body) {
    return call(HttpMethod.PATCH, migration(clinicId, userId), server, body);
  }

  private static JsonObject status(String status) {
    return new JsonObject().put("status", status);
  }

  private static JsonObject progress(int total, int migrated, int skipped) {
    return new JsonObject().put("patientsTotal", total).put("patientsMigrated", migrated).put("patientsSkipped", skipped);
  }

  @Test
  void enableNewClinicExperienceGivesALegacyAccountAnEmptyClinicItAdministers() {
    Person legacy = legacy("Lena Legacy");

    JsonObject clinic = ok(call(HttpMethod.POST, enable(legacy.id()), server, null));

    assertThat(clinic.containsKey("name")).as("empty until the admin fills in the profile").isFalse();
    assertThat(clinic.getBoolean("canMigrate")).isFalse();
    assertThat(clinic.getString("shareCode")).isNotBlank();
    String clinicId = clinic.getString("id");
    JsonObject stored = storedClinic(clinicId);
    assertThat(stored.getBoolean("isMigrated")).isFalse();
    assertThat(stored.getJsonArray("admins")).containsExactly(legacy.id());
    JsonArray clinicians = okArray(get("/v1/clinics/" + clinicId + "/clinicians", legacy.token()));
    assertThat(clinicians).hasSize(1);
    assertThat(clinicians.getJsonObject(0).getString("id")).isEqualTo(legacy.id());
    assertThat(clinicians.getJsonObject(0).getString("email")).isEqualTo(legacy.email());
    assertThat(clinicians.getJsonObject(0).getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(stack.clinicDb().count("patients", new JsonObject().put("clinicId", oid(clinicId))).await())
        .as("no demo patient, although one is configured").isZero();
    // not migrated: clinician writes wait for the migration
    assertError(call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/clinicians", server,
        clinician("new.member@example.org", "CLINIC_MEMBER").put("inviteId", "invite-x")), 422, "not migrated");

    assertError(call(HttpMethod.POST, enable(newUserId()), server, null), 404, "not found");
    Person plain = account("Paul Plain", "patient");
    assertError(call(HttpMethod.POST, enable(plain.id()), server, null), 422, "not a legacy clinic account");
    assertError(call(HttpMethod.POST, enable(legacy.id()), legacy.token(), null), 403, "");
    assertError(call(HttpMethod.POST, enable("not-a-user"), server, null), 400, "userId");
  }

  @Test
  void triggerInitialMigrationNeedsACompleteProfileThenMigratesTheClinicWithAnAttestation() {
    Person legacy = legacy("Tom Trigger");
    String clinicId = enabledClinic(legacy);

    assertError(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject()), 422, "incomplete clinic profile");
    assertThat(storedMigrations(legacy.id())).isEmpty();
    ok(call(HttpMethod.PUT, "/v1/clinics/" + clinicId, legacy.token(), completeProfile("Trigger Practice")));
    assertThat(ok(get("/v1/clinics/" + clinicId, legacy.token())).getBoolean("canMigrate")).isTrue();

    assertError(call(HttpMethod.POST, trigger(clinicId), server, new JsonObject()), 403, "");
    assertError(call(HttpMethod.POST, trigger(clinicId), person("Out Sider").token(), new JsonObject()), 403, "");
    assertError(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject().put("attestationSubmitted", "yes")),
        400, "attestationSubmitted");
    assertError(call(HttpMethod.POST, trigger("not-an-id"), legacy.token(), new JsonObject()), 400, "clinicId");

    Instant before = Instant.now().minusMillis(1);
    JsonObject started = ok(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject().put("attestationSubmitted", true)));

    assertThat(started.getString("userId")).isEqualTo(legacy.id());
    assertThat(started.getString("status")).isEqualTo("PENDING");
    assertThat(Instant.parse(started.getString("attestationTime"))).isBetween(before, Instant.now());
    assertThat(started.getString("createdTime")).isEqualTo(started.getString("updatedTime"));
    List<JsonObject> stored = storedMigrations(legacy.id());
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).getValue("clinicId")).as("an ObjectId, as upstream").isEqualTo(oid(clinicId));
    assertThat(stored.get(0).getString("status")).isEqualTo("PENDING");
    assertThat(storedClinic(clinicId).getBoolean("isMigrated")).isTrue();
    assertThat(ok(get("/v1/clinics/" + clinicId, legacy.token())).getBoolean("canMigrate")).isFalse();

    assertError(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject()), 422, "already migrated");
    assertThat(storedMigrations(legacy.id())).hasSize(1);
  }

  @Test
  void triggerInitialMigrationWithoutAttestationOrBodySetsNoAttestationTime() {
    Person legacy = legacy("Nora Noattest");
    String clinicId = readyClinic(legacy);

    JsonObject started = ok(call(HttpMethod.POST, trigger(clinicId), legacy.token(), null));

    assertThat(started.containsKey("attestationTime")).isFalse();
    assertThat(storedMigrations(legacy.id()).get(0).containsKey("attestationTime")).isFalse();
  }

  @Test
  void triggerInitialMigrationNeedsExactlyOneAdminWhoIsALegacyAccount() {
    Person legacy = legacy("Adam Admins");
    String clinicId = readyClinic(legacy);
    JsonObject byId = new JsonObject().put("_id", oid(clinicId));

    stack.clinicDb().updateCollection("clinics", byId, new JsonObject().put("$set",
        new JsonObject().put("admins", new JsonArray().add(legacy.id()).add(newUserId())))).await();
    assertError(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject()), 422, "exactly one admin");
    stack.clinicDb().updateCollection("clinics", byId, new JsonObject().put("$set",
        new JsonObject().put("admins", new JsonArray().add(legacy.id())))).await();

    setRoles(legacy, "clinician");
    assertError(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject()), 422, "not a legacy clinic account");

    assertThat(storedMigrations(legacy.id())).isEmpty();
    assertThat(storedClinic(clinicId).getBoolean("isMigrated")).isFalse();
    setRoles(legacy, "clinic");
    assertThat(ok(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject())).getString("status")).isEqualTo("PENDING");
  }

  @Test
  void aLegacyAccountIsMigratedOnceAcrossClinicsAndARefusedTriggerWritesNeither() {
    Person legacy = legacy("Olga Once");
    String first = readyClinic(legacy);
    String second = readyClinic(legacy);
    ok(call(HttpMethod.POST, trigger(first), legacy.token(), new JsonObject()));

    assertError(call(HttpMethod.POST, trigger(second), legacy.token(), new JsonObject()), 409, "has a migration already");

    assertThat(storedMigrations(legacy.id())).hasSize(1);
    assertThat(storedClinic(second).getBoolean("isMigrated")).as("neither the migration nor isMigrated").isFalse();
    assertThat(stack.clinicDb().count("operation_intents", new JsonObject().put("clinicId", second)).await()).isZero();
  }

  @Test
  void migrateLegacyClinicianPatientsQueuesAMigrationOfALegacyMemberOfAMigratedClinic() {
    Person legacy = legacy("Mia Member");
    Person plain = account("Pete Plain");
    String clinicId = migratedClinic("Queue Clinic", legacy, plain);

    HttpResponse<Buffer> accepted = migrate(clinicId, legacy.id());

    assertThat(accepted.statusCode()).as("D6").isEqualTo(202);
    JsonObject queued = accepted.bodyAsJsonObject();
    assertThat(queued.getString("userId")).isEqualTo(legacy.id());
    assertThat(queued.getString("status")).isEqualTo("PENDING");
    assertThat(queued.containsKey("attestationTime")).isFalse();
    assertThat(storedMigrations(legacy.id())).hasSize(1);

    assertError(migrate(clinicId, legacy.id()), 409, "has a migration already");
    assertError(migrate(migratedClinic("Other Clinic", legacy), legacy.id()), 409, "has a migration already");
    assertError(migrate(clinicId, legacy("Nick Nonmember").id()), 404, "not found");
    assertError(migrate(clinicId, plain.id()), 422, "not a legacy clinic account");
    assertError(migrate(UNKNOWN_CLINIC, legacy.id()), 404, "not found");
    Person unmigrated = legacy("Una Unmigrated");
    assertError(migrate(enabledClinic(unmigrated), unmigrated.id()), 422, "clinic is not migrated");
    assertError(call(HttpMethod.POST, migrations(clinicId), legacy.token(), new JsonObject().put("userId", legacy.id())), 403, "");
    assertError(call(HttpMethod.POST, migrations(clinicId), server, new JsonObject()), 400, "userId");
    assertError(call(HttpMethod.POST, migrations(clinicId), server, new JsonObject().put("userId", "nope")), 400, "userId");
    assertThat(storedMigrations(plain.id())).isEmpty();
  }

  @Test
  void membersAndServicesListAndGetTheClinicsMigrations() {
    Person first = legacy("Fay First");
    Person second = legacy("Sam Second");
    String clinicId = migratedClinic("Listed Clinic", first, second);
    migrate(clinicId, first.id());
    migrate(clinicId, second.id());

    JsonArray byMember = okArray(get(migrations(clinicId), first.token()));
    assertThat(byMember.stream().map(m -> ((JsonObject) m).getString("userId")).toList()).containsExactly(first.id(), second.id());
    assertThat(okArray(get(migrations(clinicId), server))).hasSize(2);
    assertThat(okArray(get(migrations(migratedClinic("Empty Clinic")), server))).isEmpty();
    assertError(get(migrations(clinicId), person("Nosy Outsider").token()), 403, "");
    assertError(get(migrations(UNKNOWN_CLINIC), server), 404, "not found");
    assertError(get(migrations("not-an-id"), server), 400, "clinicId");

    JsonObject one = ok(get(migration(clinicId, second.id()), first.token()));
    assertThat(one.getString("userId")).isEqualTo(second.id());
    assertThat(one.getString("status")).isEqualTo("PENDING");
    assertThat(ok(get(migration(clinicId, first.id()), server)).getString("userId")).isEqualTo(first.id());
    assertError(get(migration(clinicId, newUserId()), server), 404, "no migration");
    assertError(get(migration(migratedClinic("Another Clinic"), first.id()), server), 404, "no migration");
    assertError(get(migration(clinicId, first.id()), person("Nosy Outsider").token()), 403, "");
    assertError(get(migration(clinicId, "bad"), server), 400, "userId");
  }

  @Test
  void updateMigrationFollowsTheStatusTransitionsAndRepeatsHarmlessly() {
    Person legacy = legacy("Uma Update");
    String clinicId = migratedClinic("Update Clinic", legacy);
    migrate(clinicId, legacy.id());

    assertError(update(clinicId, legacy.id(), status("COMPLETED")), 409, "cannot become COMPLETED");
    JsonObject running = ok(update(clinicId, legacy.id(), status("RUNNING").put("progress", progress(10, 0, 0))));
    assertThat(running.getString("status")).isEqualTo("RUNNING");
    assertThat(running.getJsonObject("progress")).isEqualTo(progress(10, 0, 0));
    JsonObject advanced = ok(update(clinicId, legacy.id(), status("RUNNING").put("progress", progress(10, 4, 1))));
    assertThat(advanced.getJsonObject("progress")).isEqualTo(progress(10, 4, 1));
    assertThat(Instant.parse(advanced.getString("updatedTime"))).isAfterOrEqualTo(Instant.parse(running.getString("updatedTime")));
    long revision = storedMigrations(legacy.id()).get(0).getLong("revision");

    // the worker repeats a call after a crash: accepted, nothing written
    JsonObject repeated = ok(update(clinicId, legacy.id(), status("RUNNING").put("progress", progress(10, 4, 1))));
    assertThat(repeated).isEqualTo(advanced);
    assertThat(storedMigrations(legacy.id()).get(0).getLong("revision")).isEqualTo(revision);

    assertError(update(clinicId, legacy.id(), status("PENDING")), 409, "cannot become PENDING");
    JsonObject completed = ok(update(clinicId, legacy.id(), status("COMPLETED").put("progress", progress(10, 9, 1))));
    assertThat(completed.getString("status")).isEqualTo("COMPLETED");
    assertThat(ok(update(clinicId, legacy.id(), status("COMPLETED"))).getString("status")).isEqualTo("COMPLETED");
    assertThat(ok(update(clinicId, legacy.id(), status("COMPLETED").put("progress", progress(10, 9, 1)))))
        .isEqualTo(completed);
    assertError(update(clinicId, legacy.id(), status("RUNNING")), 409, "final");
    assertError(update(clinicId, legacy.id(), status("FAILED")), 409, "final");
    assertError(update(clinicId, legacy.id(), status("COMPLETED").put("progress", progress(10, 10, 0))), 409, "final");
    JsonObject read = ok(get(migration(clinicId, legacy.id()), server));
    assertThat(read.getString("status")).isEqualTo("COMPLETED");
    assertThat(read.getJsonObject("progress")).isEqualTo(progress(10, 9, 1));

    assertError(update(clinicId, newUserId(), status("RUNNING")), 404, "no migration");
    assertError(call(HttpMethod.PATCH, migration(clinicId, legacy.id()), legacy.token(), status("RUNNING")), 403, "");
    assertError(update(clinicId, legacy.id(), status("DONE")), 400, "status");
    assertError(update(clinicId, legacy.id(), new JsonObject()), 400, "status");
    assertError(update(clinicId, legacy.id(), status("RUNNING").put("progress", progress(10, -1, 0))), 400, "patientsMigrated");
    assertError(update(clinicId, legacy.id(), status("RUNNING").put("progress", new JsonObject().put("patientsTotal", 3))),
        400, "progress");
  }

  @Test
  void aMigrationThatCannotFinishEndsFailedWithItsReason() {
    Person pending = legacy("Fred Failsearly");
    Person running = legacy("Rita Runsfirst");
    String clinicId = migratedClinic("Failing Clinic", pending, running);
    migrate(clinicId, pending.id());
    migrate(clinicId, running.id());

    JsonObject failedEarly = ok(update(clinicId, pending.id(), status("FAILED").put("failureReason", "gatekeeper is unreachable")));
    assertThat(failedEarly.getString("status")).isEqualTo("FAILED");
    assertThat(failedEarly.getString("failureReason")).isEqualTo("gatekeeper is unreachable");
    assertThat(ok(update(clinicId, pending.id(), status("FAILED").put("failureReason", "gatekeeper is unreachable"))))
        .isEqualTo(failedEarly);
    assertError(update(clinicId, pending.id(), status("RUNNING")), 409, "final");
    assertError(update(clinicId, pending.id(), status("FAILED").put("failureReason", "another reason")), 409, "final");

    ok(update(clinicId, running.id(), status("RUNNING").put("progress", progress(3, 1, 0))));
    JsonObject failedLate = ok(update(clinicId, running.id(), status("FAILED").put("failureReason", "the clinic was deleted")));
    assertThat(failedLate.getJsonObject("progress")).as("the progress when it failed").isEqualTo(progress(3, 1, 0));
    assertThat(ok(get(migration(clinicId, running.id()), server)).getString("failureReason")).isEqualTo("the clinic was deleted");
  }

  /** What the migration worker does per patient: CreatePatientFromUser as a migrated patient of the legacy clinician. */
  @Test
  void patientsCreatedByAMigrationAreMigratedAndRememberTheirLegacyClinician() {
    Person legacy = legacy("Leo Legacy");
    String clinicId = readyClinic(legacy);
    ok(call(HttpMethod.POST, trigger(clinicId), legacy.token(), new JsonObject()));
    Person patient = account("Pat Patient");
    String path = "/v1/clinics/" + clinicId + "/patients/" + patient.id();
    JsonObject body = new JsonObject().put("isMigrated", true).put("legacyClinicianId", legacy.id())
        .put("permissions", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()));

    JsonObject created = ok(call(HttpMethod.POST, path, server, body));

    assertThat(created.getJsonObject("permissions").fieldNames()).containsExactlyInAnyOrder("view", "upload");
    JsonObject stored = stack.clinicDb().findOne("patients", new JsonObject().put("clinicId", oid(clinicId))
        .put("userId", patient.id()), null).await();
    assertThat(stored.getBoolean("isMigrated")).isTrue();
    assertThat(stored.getJsonArray("legacyClinicianIds")).containsExactly(legacy.id());
    // repeated after a crash: the existing record is answered, not a 409
    assertThat(ok(call(HttpMethod.POST, path, server, body)).getString("id")).isEqualTo(patient.id());
    assertThat(stack.clinicDb().count("patients", new JsonObject().put("userId", patient.id())).await()).isEqualTo(1);
  }
}
