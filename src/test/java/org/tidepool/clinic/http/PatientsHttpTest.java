package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The patient operations over HTTP, with the embedded user directory keeping the custodial accounts. */
class PatientsHttpTest extends HttpTestBase {

  private static String patients(String clinicId) {
    return "/v1/clinics/" + clinicId + "/patients";
  }

  private static String patient(String clinicId, String userId) {
    return patients(clinicId) + "/" + userId;
  }

  private static JsonObject details(String fullName, String birthDate) {
    return new JsonObject().put("fullName", fullName).put("birthDate", birthDate);
  }

  /** A clinic of a new admin, with a member. */
  private record Team(String clinicId, Person admin, Person member) {}

  private Team team(String name) {
    Person admin = person(name + " Admin");
    Person member = person(name + " Member");
    String clinicId = createClinic(admin, name).getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER");
    return new Team(clinicId, admin, member);
  }

  private JsonObject createAccount(Team team, JsonObject body) {
    return ok(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), body));
  }

  private JsonObject storedPatient(String clinicId, String userId) {
    return stack.clinicDb().findOne("patients", new JsonObject().put("clinicId", oid(clinicId)).put("userId", userId), null).await();
  }

  private JsonObject storedClinic(String clinicId) {
    return stack.clinicDb().findOne("clinics", new JsonObject().put("_id", oid(clinicId)), null).await();
  }

  private long patientCount(String clinicId) {
    return stack.clinicDb().count("patients", new JsonObject().put("clinicId", oid(clinicId))).await();
  }

  private void setClinic(String clinicId, JsonObject fields) {
    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", oid(clinicId)), new JsonObject().put("$set", fields)).await();
  }

  private void setPatient(String clinicId, String userId, JsonObject fields) {
    stack.clinicDb().updateCollection("patients", new JsonObject().put("clinicId", oid(clinicId)).put("userId", userId),
        new JsonObject().put("$set", fields)).await();
  }

  private static JsonObject oid(String hex) {
    return new JsonObject().put("$oid", hex);
  }

  /** Makes the embedded user directory know the person (jwt mode remembers token users). */
  private void known(Person person) {
    okArray(get("/v1/patients/" + person.id() + "/clinics", person.token()));
  }

  private JsonObject addPatient(Team team, Person patient, JsonObject permissions) {
    known(patient);
    return ok(call(HttpMethod.POST, patient(team.clinicId(), patient.id()), server,
        new JsonObject().put("permissions", permissions).put("birthDate", "1990-01-02")));
  }

  private static JsonObject perms(String... names) {
    JsonObject permissions = new JsonObject();
    for (String name : names) {
      permissions.put(name, new JsonObject());
    }
    return permissions;
  }

  @Test
  void aMemberCreatesACustodialAccountWithEveryPermission() {
    Team team = team("Custodial");
    long before = patientCount(team.clinicId());
    JsonObject created = createAccount(team, details("Carl Custodial", "2010-05-06").put("email", "Carl@Example.org")
        .put("mrn", "M-1").put("targetDevices", new JsonArray().add("dexcomG6")));

    assertThat(created.getString("id")).matches("[0-9a-f]{10}");
    assertThat(created.getString("email")).isEqualTo("carl@example.org");
    assertThat(created.getJsonObject("permissions").fieldNames()).containsExactlyInAnyOrder("custodian", "view", "upload", "note");
    assertThat(created.getJsonObject("connectionRequests").fieldNames()).containsExactlyInAnyOrder("twiist", "dexcom", "abbott");
    JsonObject stored = storedPatient(team.clinicId(), created.getString("id"));
    assertThat(stored.getString("invitedBy")).isEqualTo(team.member().id());
    JsonObject account = stack.platformDb().findOne("users", new JsonObject().put("_id", created.getString("id")), null).await();
    assertThat(account.getString("username")).isEqualTo("carl@example.org");
    assertThat(ok(get(patient(team.clinicId(), created.getString("id")), team.admin().token())).getString("fullName"))
        .isEqualTo("Carl Custodial");
    assertThat(ok(get(patient(team.clinicId(), created.getString("id")), server)).getString("mrn")).isEqualTo("M-1");
    assertThat(storedClinic(team.clinicId()).getJsonObject("patientCount").getInteger("total")).isEqualTo((int) before + 1);

    // a service creates too (no inviter); an account without email is allowed
    JsonObject byService = ok(call(HttpMethod.POST, patients(team.clinicId()), server, details("No Mail", "2011-01-01")));
    assertThat(storedPatient(team.clinicId(), byService.getString("id")).containsKey("invitedBy")).isFalse();

    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(),
        details("Other Carl", "2010-05-06").put("email", "carl@EXAMPLE.org")), 409, "already taken");
    assertError(call(HttpMethod.POST, patients(team.clinicId()), person("Outsider").token(), details("X", "2010-01-01")), 403, "");
    assertError(call(HttpMethod.POST, patients("0123456789abcdef01234567"), server, details("X", "2010-01-01")), 404, "not found");
    long afterCreates = patientCount(team.clinicId());
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), new JsonObject().put("fullName", "No Birth")),
        400, "birthDate");
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("X", "2010-13-45")), 400, "birthDate");
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("X", "2010-01-01").put("email", "nope")),
        400, "email");
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("", "2010-01-01")), 400, "fullName");
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("X".repeat(300), "2010-01-01")),
        400, "fullName");
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("X", "2010-01-01")
        .put("sites", new JsonArray().add(new JsonObject().put("id", "0123456789abcdef01234567")))), 422, "site");
    assertThat(patientCount(team.clinicId())).isEqualTo(afterCreates);
  }

  @Test
  void mrnSettingsRequireAndMakeUniqueTheMrn() {
    Team team = team("Records");
    setClinic(team.clinicId(), new JsonObject().put("mrnSettings", new JsonObject().put("required", true).put("unique", true)));
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("No Mrn", "2000-01-01")), 400, "mrn is required");
    JsonObject first = createAccount(team, details("First", "2000-01-01").put("mrn", "A1"));
    JsonObject second = createAccount(team, details("Second", "2000-01-01").put("mrn", "a1"));
    assertThat(storedPatient(team.clinicId(), first.getString("id")).getBoolean("requireUniqueMrn")).isTrue();
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("Third", "2000-01-01").put("mrn", "A1")),
        400, "mrn must be unique");
    assertError(call(HttpMethod.PUT, patient(team.clinicId(), second.getString("id")), team.member().token(),
        details("Second", "2000-01-01").put("mrn", "A1")), 400, "mrn must be unique");
    assertError(call(HttpMethod.PUT, patient(team.clinicId(), second.getString("id")), team.member().token(),
        details("Second", "2000-01-01")), 400, "mrn is required");
    // the patient keeps its own MRN
    assertThat(ok(call(HttpMethod.PUT, patient(team.clinicId(), first.getString("id")), team.member().token(),
        details("First Renamed", "2000-01-01").put("mrn", "A1"))).getString("fullName")).isEqualTo("First Renamed");
  }

  @Test
  void theHardLimitCountsPlanPatientsOfUsDefaultTierClinicsOnly() {
    Team team = team("Limited");
    // the demo patient is there and is not counted
    setClinic(team.clinicId(), new JsonObject().put("country", "USA")
        .put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", 2))));
    JsonObject first = createAccount(team, details("One", "2001-01-01"));
    createAccount(team, details("Two", "2001-01-01"));
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("Three", "2001-01-01")), 402, "exceeds limit");

    // a patient with a twiist data source is not on the plan
    assertThat(call(HttpMethod.PUT, "/v1/patients/" + first.getString("id") + "/data_sources", server,
        new JsonArray().add(new JsonObject().put("providerName", "twiist").put("state", "connected"))).statusCode()).isEqualTo(200);
    JsonObject third = createAccount(team, details("Three", "2001-01-01"));
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("Four", "2001-01-01")), 402, "exceeds limit");
    JsonObject counts = storedClinic(team.clinicId()).getJsonObject("patientCount");
    assertThat(counts.getInteger("demo")).isEqualTo(1);
    assertThat(counts.getInteger("plan")).isEqualTo(2);
    assertThat(counts.getInteger("total")).isEqualTo(4);
    assertThat(counts.getJsonObject("providers").getJsonObject("twiist").getInteger("total")).isEqualTo(1);

    // outside the limit's window, on another tier, outside the US: no limit
    String past = Instant.now().minus(2, ChronoUnit.DAYS).toString();
    setClinic(team.clinicId(), new JsonObject().put("patientCountSettings", new JsonObject().put("hardLimit",
        new JsonObject().put("plan", 2).put("endDate", new JsonObject().put("$date", past)))));
    createAccount(team, details("Four", "2001-01-01"));
    setClinic(team.clinicId(), new JsonObject().put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", 0))));
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("Five", "2001-01-01")), 402, "exceeds limit");
    setClinic(team.clinicId(), new JsonObject().put("tier", "tier0200"));
    createAccount(team, details("Five", "2001-01-01"));
    setClinic(team.clinicId(), new JsonObject().put("tier", "tier0100").put("country", "CA"));
    createAccount(team, details("Six", "2001-01-01"));
    setClinic(team.clinicId(), new JsonObject().put("country", "US"));
    assertError(call(HttpMethod.POST, patients(team.clinicId()), team.member().token(), details("Seven", "2001-01-01")), 402, "exceeds limit");
    assertThat(third.getString("id")).isNotNull();
  }

  @Test
  void theCachedCountsFollowEveryChangeAsARecountWould() {
    Team team = team("Counted");
    JsonObject leaving = createAccount(team, details("Lee Leaving", "2001-01-01"));
    JsonObject connecting = createAccount(team, details("Cody Connecting", "2001-01-01"));
    Person shared = person("Sasha Sources");
    addPatient(team, shared, perms("view"));
    assertThat(call(HttpMethod.PUT, "/v1/patients/" + shared.id() + "/data_sources", server, new JsonArray()
        .add(new JsonObject().put("providerName", "dexcom").put("state", "connected"))
        .add(new JsonObject().put("providerName", "twiist").put("state", "pending"))).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.PUT, "/v1/patients/" + connecting.getString("id") + "/data_sources", server, new JsonArray()
        .add(new JsonObject().put("providerName", "dexcom").put("state", "disconnected"))).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.POST, patient(team.clinicId(), connecting.getString("id")) + "/connect/dexcom", team.member().token(), null)
        .statusCode()).isLessThan(300);
    assertThat(call(HttpMethod.DELETE, patient(team.clinicId(), leaving.getString("id")), team.admin().token(), null).statusCode())
        .isLessThan(300);

    JsonObject cached = storedClinic(team.clinicId()).getJsonObject("patientCount");
    ok(call(HttpMethod.POST, "/v1/clinics/" + team.clinicId() + "/patient_count/refresh", server, null));
    JsonObject recounted = storedClinic(team.clinicId()).getJsonObject("patientCount");
    assertThat(cached).isEqualTo(recounted);
    assertThat(cached.getInteger("total")).isEqualTo(3);
    assertThat(cached.getInteger("plan")).isEqualTo(1);
    assertThat(cached.getJsonObject("providers").getJsonObject("dexcom").getInteger("total")).isEqualTo(2);
  }

  @Test
  void updateReplacesDetailsKeepsTheRestAndMovesTheCustodialEmail() {
    Team team = team("Updating");
    JsonObject created = createAccount(team, details("Uma Update", "2003-03-03").put("email", "uma@example.org").put("mrn", "U1")
        .put("tags", new JsonArray().add("0123456789abcdef01234567")).put("diagnosisType", "type1"));
    String path = patient(team.clinicId(), created.getString("id"));
    JsonObject summary = new JsonObject().put("cgmStats", new JsonObject().put("id", "abc"));
    setPatient(team.clinicId(), created.getString("id"), new JsonObject().put("summary", summary));

    JsonObject updated = ok(call(HttpMethod.PUT, path, team.member().token(), details("Uma Renamed", "2003-03-04")
        .put("email", "uma.new@example.org")));
    assertThat(updated.getString("fullName")).isEqualTo("Uma Renamed");
    assertThat(updated.getString("birthDate")).isEqualTo("2003-03-04");
    assertThat(updated.containsKey("mrn")).as("mrn absent: removed").isFalse();
    assertThat(updated.getJsonArray("tags")).containsExactly("0123456789abcdef01234567");
    assertThat(updated.getString("diagnosisType")).isEqualTo("type1");
    assertThat(updated.getJsonObject("summary")).isEqualTo(summary);
    assertThat(updated.getJsonObject("permissions").fieldNames()).contains("custodian");
    JsonObject stored = storedPatient(team.clinicId(), created.getString("id"));
    assertThat(stored.containsKey("invitedBy")).as("an email change forgets the inviter").isFalse();
    JsonObject account = stack.platformDb().findOne("users", new JsonObject().put("_id", created.getString("id")), null).await();
    assertThat(account.getString("username")).isEqualTo("uma.new@example.org");

    JsonObject cleared = ok(call(HttpMethod.PUT, path, server, details("Uma Renamed", "2003-03-04").put("email", "uma.new@example.org")
        .put("diagnosisType", "").put("tags", new JsonArray())));
    assertThat(cleared.containsKey("diagnosisType")).isFalse();
    assertThat(cleared.getJsonArray("tags")).isEmpty();

    createAccount(team, details("Taken", "2003-03-03").put("email", "taken@example.org"));
    assertError(call(HttpMethod.PUT, path, team.member().token(), details("Uma", "2003-03-04").put("email", "taken@example.org")),
        409, "already taken");
    assertError(call(HttpMethod.PUT, path, team.member().token(), details("Uma", "2003-03-04").put("diagnosisType", "type9")),
        400, "diagnosisType");
    assertError(call(HttpMethod.PUT, patient(team.clinicId(), "0123456789"), team.member().token(), details("Nobody", "2003-03-04")),
        404, "0123456789");
    assertError(call(HttpMethod.PUT, path, person("Outsider").token(), details("Hijack", "2003-03-04")), 403, "");
    assertThat(ok(get(path, team.member().token())).getString("fullName")).isEqualTo("Uma Renamed");
  }

  @Test
  void anExistingUserBecomesAPatientFromTheirAccount() {
    Team team = team("FromUser");
    Person pat = person("Paula Patient");
    known(pat);
    String path = patient(team.clinicId(), pat.id());
    JsonObject created = ok(call(HttpMethod.POST, path, server, new JsonObject()
        .put("permissions", perms("view", "upload")).put("birthDate", "1980-08-08").put("mrn", "P-9")));
    assertThat(created.getString("email")).isEqualTo(pat.email());
    assertThat(created.getString("fullName")).isEqualTo("Paula Patient");
    assertThat(created.getJsonObject("permissions").fieldNames()).containsExactlyInAnyOrder("view", "upload");

    assertError(call(HttpMethod.POST, path, server, new JsonObject()), 409, "already a member");
    String legacy = newUserId();
    ok(call(HttpMethod.POST, path, server, new JsonObject().put("legacyClinicianId", legacy).put("isMigrated", true)));
    assertThat(storedPatient(team.clinicId(), pat.id()).getJsonArray("legacyClinicianIds")).contains(legacy);
    assertError(call(HttpMethod.POST, patient(team.clinicId(), "0123456789"), server, new JsonObject()), 404, "0123456789");
    assertError(call(HttpMethod.POST, path, team.admin().token(), new JsonObject()), 403, "");

    // the patient sees their clinics; nobody else does
    JsonArray clinics = okArray(get("/v1/patients/" + pat.id() + "/clinics", pat.token()));
    assertThat(clinics).hasSize(1);
    assertThat(clinics.getJsonObject(0).getJsonObject("clinic").getString("id")).isEqualTo(team.clinicId());
    assertThat(clinics.getJsonObject(0).getJsonObject("patient").getString("id")).isEqualTo(pat.id());
    assertThat(okArray(get("/v1/patients/" + pat.id() + "/clinics", server))).hasSize(1);
    assertError(get("/v1/patients/" + pat.id() + "/clinics", team.admin().token()), 403, "");
    assertError(get("/v1/patients/" + pat.id() + "/clinics?limit=0", pat.token()), 400, "limit");
  }

  @Test
  void deletePatientByAnAdminOrThePatientArchivesIt() {
    Team team = team("Leaving");
    Person pat = person("Leo Leaving");
    addPatient(team, pat, perms("view"));
    JsonObject custodial = createAccount(team, details("Kept", "2000-01-01"));

    assertError(call(HttpMethod.DELETE, patient(team.clinicId(), custodial.getString("id")), team.member().token(), null), 403, "");
    assertError(call(HttpMethod.DELETE, patient(team.clinicId(), custodial.getString("id")), server, null), 403, "");
    HttpResponse<Buffer> byAdmin = call(HttpMethod.DELETE, patient(team.clinicId(), custodial.getString("id")), team.admin().token(), null);
    assertThat(byAdmin.statusCode()).isEqualTo(204);
    assertThat(call(HttpMethod.DELETE, patient(team.clinicId(), pat.id()), pat.token(), null).statusCode()).isEqualTo(204);

    assertError(get(patient(team.clinicId(), pat.id()), team.admin().token()), 404, pat.id());
    JsonObject archive = stack.clinicDb().findOne("patient_deletions", new JsonObject().put("patient.userId", pat.id()), null).await();
    assertThat(archive.getString("deletedByUserId")).isEqualTo(pat.id());
    JsonObject adminArchive = stack.clinicDb().findOne("patient_deletions",
        new JsonObject().put("patient.userId", custodial.getString("id")), null).await();
    assertThat(adminArchive.getString("deletedByUserId")).isEqualTo(team.admin().id());
    assertError(call(HttpMethod.DELETE, patient(team.clinicId(), pat.id()), team.admin().token(), null), 404, pat.id());
  }

  @Test
  void thePatientChangesTheClinicsPermissionsAndLeavesWithNone() {
    Team team = team("Permissions");
    Person pat = person("Percy Perms");
    addPatient(team, pat, perms("custodian", "view", "upload", "note"));
    String path = patient(team.clinicId(), pat.id()) + "/permissions";

    assertThat(ok(call(HttpMethod.PUT, path, pat.token(), perms("custodian", "view", "note"))).fieldNames())
        .containsExactlyInAnyOrder("view", "note");
    assertError(call(HttpMethod.PUT, path, team.admin().token(), perms("view")), 403, "");
    assertError(call(HttpMethod.PUT, path, pat.token(), new JsonObject().put("everything", new JsonObject())), 400, "everything");

    assertThat(call(HttpMethod.DELETE, path + "/note", pat.token(), null).statusCode()).isEqualTo(204);
    assertError(call(HttpMethod.DELETE, path + "/note", pat.token(), null), 404, "note");
    assertError(call(HttpMethod.DELETE, path + "/view", server, null), 403, "custodian");
    assertError(call(HttpMethod.DELETE, path + "/everything", pat.token(), null), 400, "permission");
    assertThat(ok(get(patient(team.clinicId(), pat.id()), team.admin().token())).getJsonObject("permissions").fieldNames())
        .containsExactly("view");

    HttpResponse<Buffer> none = call(HttpMethod.PUT, path, pat.token(), new JsonObject());
    assertThat(none.statusCode()).isEqualTo(204);
    assertError(get(patient(team.clinicId(), pat.id()), team.admin().token()), 404, pat.id());
    assertThat(stack.clinicDb().findOne("patient_deletions", new JsonObject().put("patient.userId", pat.id()), null).await()
        .getString("deletedByUserId")).isEqualTo(pat.id());

    // a claimed custodial account: the platform removes custodian; the last permission removes the patient
    JsonObject custodial = createAccount(team, details("Claimed", "2000-01-01"));
    String claimed = patient(team.clinicId(), custodial.getString("id")) + "/permissions";
    assertThat(call(HttpMethod.DELETE, claimed + "/custodian", server, null).statusCode()).isEqualTo(204);
    assertThat(ok(get(patient(team.clinicId(), custodial.getString("id")), server)).getJsonObject("permissions").fieldNames())
        .containsExactlyInAnyOrder("view", "upload", "note");
  }

  @Test
  void reviewsKeepTheTwoNewestAndOnlyTheirAuthorRevertsThem() {
    Team team = team("Reviewing");
    Person other = person("Other Reviewer");
    addMember(team.clinicId(), other, "CLINIC_ADMIN");
    JsonObject created = createAccount(team, details("Rita Reviewed", "1999-09-09"));
    String path = patient(team.clinicId(), created.getString("id")) + "/reviews";

    assertError(call(HttpMethod.DELETE, path, team.member().token(), null), 404, "no review");
    assertThat(okArray(call(HttpMethod.PUT, path, team.member().token(), null))).hasSize(1);
    assertThat(okArray(call(HttpMethod.PUT, path, other.token(), null))).hasSize(2);
    JsonArray reviews = okArray(call(HttpMethod.PUT, path, team.member().token(), null));
    assertThat(reviews.stream().map(r -> ((JsonObject) r).getString("clinicianId")).toList())
        .containsExactly(team.member().id(), other.id());
    assertError(call(HttpMethod.DELETE, path, other.token(), null), 409, "another clinician");
    JsonArray remaining = okArray(call(HttpMethod.DELETE, path, team.member().token(), null));
    assertThat(remaining.getJsonObject(0).getString("clinicianId")).isEqualTo(other.id());
    assertError(call(HttpMethod.PUT, path, server, null), 403, "");
    assertError(call(HttpMethod.PUT, path, person("Outsider").token(), null), 403, "");
    assertError(call(HttpMethod.PUT, patient(team.clinicId(), "0123456789") + "/reviews", team.member().token(), null), 404, "0123456789");
  }

  @Test
  void uploadRemindersAndProviderConnectionRequestsAreRecorded() {
    Team team = team("Connecting");
    JsonObject created = createAccount(team, details("Connie", "1995-05-05"));
    String path = patient(team.clinicId(), created.getString("id"));

    JsonObject reminded = ok(call(HttpMethod.POST, path + "/upload_reminder", team.member().token(), null));
    assertThat(reminded.getString("lastUploadReminderTime")).isNotNull();
    assertError(call(HttpMethod.POST, path + "/upload_reminder", server, null), 403, "");

    // no data source for the provider yet: the request is recorded all the same (D21)
    assertThat(call(HttpMethod.POST, path + "/connect/dexcom", team.member().token(), null).statusCode()).isEqualTo(204);
    assertThat(call(HttpMethod.PUT, "/v1/patients/" + created.getString("id") + "/data_sources", server, new JsonArray()
        .add(new JsonObject().put("providerName", "dexcom").put("state", "disconnected").put("modifiedTime", "2024-01-01T00:00:00Z"))
        .add(new JsonObject().put("providerName", "abbott").put("state", "error"))).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.POST, path + "/connect/dexcom", server, null).statusCode()).isEqualTo(204);
    assertThat(call(HttpMethod.POST, path + "/connect/abbott", team.member().token(), null).statusCode()).isEqualTo(204);

    JsonObject after = ok(get(path, team.member().token()));
    assertThat(after.getJsonObject("connectionRequests").getJsonArray("dexcom")).hasSize(2);
    assertThat(after.getJsonObject("connectionRequests").getJsonArray("abbott")).hasSize(1);
    assertThat(after.getJsonObject("connectionRequests").getJsonArray("twiist")).isEmpty();
    JsonArray sources = after.getJsonArray("dataSources");
    assertThat(sources.getJsonObject(0).getString("state")).isEqualTo("pendingReconnect");
    assertThat(sources.getJsonObject(1).getString("state")).isEqualTo("pending");
    Instant expires = Instant.parse(sources.getJsonObject(1).getString("expirationTime"));
    assertThat(expires).isBetween(Instant.now().plus(29, ChronoUnit.DAYS), Instant.now().plus(31, ChronoUnit.DAYS));
    assertThat(storedClinic(team.clinicId()).getJsonObject("patientCount").getJsonObject("providers")
        .getJsonObject("abbott").getJsonObject("states").getInteger("pending")).isEqualTo(1);

    assertError(call(HttpMethod.POST, path + "/connect/fitbit", team.member().token(), null), 400, "providerId");
    assertError(call(HttpMethod.POST, patient(team.clinicId(), "0123456789") + "/connect/dexcom", server, null), 404, "0123456789");
  }

  @Test
  void dataSourcesGoOnEveryClinicRecordOfTheUser() {
    Team first = team("Sources One");
    Team second = team("Sources Two");
    Person pat = person("Sam Sources");
    addPatient(first, pat, perms("view"));
    addPatient(second, pat, perms("view", "upload"));
    JsonArray sources = new JsonArray().add(new JsonObject().put("providerName", "dexcom").put("state", "connected")
        .put("dataSourceId", "0123456789abcdef01234567").put("latestDataTime", "2025-01-01T10:00:00Z"));

    HttpResponse<Buffer> done = call(HttpMethod.PUT, "/v1/patients/" + pat.id() + "/data_sources", server, sources);
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
    for (Team team : List.of(first, second)) {
      JsonObject got = ok(get(patient(team.clinicId(), pat.id()), server));
      assertThat(got.getJsonArray("dataSources").getJsonObject(0).getString("dataSourceId")).isEqualTo("0123456789abcdef01234567");
      assertThat(storedClinic(team.clinicId()).getJsonObject("patientCount").getJsonObject("providers")
          .getJsonObject("dexcom").getInteger("total")).isEqualTo(1);
    }
    assertError(call(HttpMethod.PUT, "/v1/patients/0123456789/data_sources", server, sources), 404, "0123456789");
    assertError(call(HttpMethod.PUT, "/v1/patients/" + pat.id() + "/data_sources", server,
        new JsonArray().add(new JsonObject().put("providerName", "dexcom").put("state", "sleeping"))), 400, "state");
    assertError(call(HttpMethod.PUT, "/v1/patients/" + pat.id() + "/data_sources", pat.token(), sources), 403, "");
  }

  @Test
  void findPatientsSearchesTheCallersClinics() {
    Team team = team("Finding");
    Team elsewhere = team("Elsewhere");
    createAccount(team, details("Fay Found", "1970-07-07").put("mrn", "F-1"));
    createAccount(team, details("Fred Found", "1971-07-07").put("mrn", "F-2"));
    createAccount(elsewhere, details("Not Mine", "1970-07-07").put("mrn", "F-1"));

    JsonArray byMrn = okArray(get("/v1/patients?mrn=F-1", team.member().token()));
    assertThat(byMrn).hasSize(1);
    assertThat(byMrn.getJsonObject(0).getJsonObject("patient").getString("fullName")).isEqualTo("Fay Found");
    assertThat(byMrn.getJsonObject(0).getJsonObject("clinic").getString("id")).isEqualTo(team.clinicId());
    assertThat(okArray(get("/v1/patients?birthDate=1971-07-07", team.admin().token()))).hasSize(1);
    assertThat(okArray(get("/v1/patients?workspaceId=" + elsewhere.clinicId() + "&workspaceIdType=clinicId", team.member().token())))
        .isEmpty();
    assertThat(okArray(get("/v1/patients?workspaceId=" + team.clinicId() + "&workspaceIdType=clinicId&mrn=F-2", team.member().token())))
        .hasSize(1);
    assertError(get("/v1/patients", server), 403, "");
    assertError(get("/v1/patients?workspaceIdType=planet", team.member().token()), 400, "workspaceIdType");
  }

  @Test
  void refreshPatientCountRecountsForServices() {
    Team team = team("Counting");
    createAccount(team, details("Counted", "1990-01-01"));
    setClinic(team.clinicId(), new JsonObject().put("patientCount", new JsonObject().put("total", 99).put("demo", 0).put("plan", 99)));
    HttpResponse<Buffer> refreshed = call(HttpMethod.POST, "/v1/clinics/" + team.clinicId() + "/patient_count/refresh", server, null);
    assertThat(refreshed.statusCode()).isEqualTo(200);
    JsonObject counts = storedClinic(team.clinicId()).getJsonObject("patientCount");
    assertThat(counts.getInteger("total")).isEqualTo(2);
    assertThat(counts.getInteger("plan")).isEqualTo(1);
    assertError(call(HttpMethod.POST, "/v1/clinics/" + team.clinicId() + "/patient_count/refresh", team.admin().token(), null), 403, "");
    assertError(call(HttpMethod.POST, "/v1/clinics/0123456789abcdef01234567/patient_count/refresh", server, null), 404, "not found");
  }

  @Test
  void deletingAUserRemovesTheirRecordsAndTheNonCustodialPatientsOfClinicsLeftWithoutClinicians() {
    Team shared = team("Shared Care");
    Person leaver = person("Lee Leaver");
    addPatient(shared, leaver, perms("view"));
    String soloClinic = createClinic(leaver, "Solo Practice").getString("id");
    Team solo = new Team(soloClinic, leaver, leaver);
    Person sharing = person("Sharing Patient");
    addPatient(solo, sharing, perms("view"));
    JsonObject custodial = ok(call(HttpMethod.POST, patients(soloClinic), leaver.token(), details("Custodial Kid", "2015-01-01")));

    HttpResponse<Buffer> removed = call(HttpMethod.DELETE, "/v1/users/" + leaver.id() + "/clinics", server, null);
    assertThat(removed.statusCode()).as(removed.bodyAsString()).isEqualTo(200);

    assertError(get(patient(shared.clinicId(), leaver.id()), server), 404, leaver.id());
    assertThat(stack.clinicDb().count("patient_deletions", new JsonObject().put("patient.userId", leaver.id())).await()).isEqualTo(1);
    assertError(get("/v1/clinics/" + soloClinic + "/clinicians/" + leaver.id(), server), 404, leaver.id());
    assertThat(storedClinic(soloClinic).getJsonArray("admins")).isEmpty();
    assertError(get(patient(soloClinic, sharing.id()), server), 404, sharing.id());
    assertThat(ok(get(patient(soloClinic, custodial.getString("id")), server)).getString("fullName")).isEqualTo("Custodial Kid");
    assertThat(storedClinic(soloClinic).getJsonObject("patientCount").getInteger("total")).isEqualTo(1);
    // the shared clinic keeps its clinicians and its other patients
    assertThat(okArray(get("/v1/clinics/" + shared.clinicId() + "/clinicians", server))).hasSize(2);
    assertError(call(HttpMethod.DELETE, "/v1/users/" + leaver.id() + "/clinics", leaver.token(), null), 403, "");
    // repeatable
    assertThat(call(HttpMethod.DELETE, "/v1/users/" + leaver.id() + "/clinics", server, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aClinicWithRealPatientsIsNotDeleted() {
    Team team = team("Busy");
    JsonObject created = createAccount(team, details("Blocking", "1990-01-01"));
    assertError(call(HttpMethod.DELETE, "/v1/clinics/" + team.clinicId(), team.admin().token(), null), 400, "non-empty");
    assertThat(call(HttpMethod.DELETE, patient(team.clinicId(), created.getString("id")), team.admin().token(), null).statusCode())
        .isEqualTo(204);
    assertThat(call(HttpMethod.DELETE, "/v1/clinics/" + team.clinicId(), team.admin().token(), null).statusCode()).isEqualTo(204);
    assertThat(patientCount(team.clinicId())).as("the demo patient went with the clinic").isZero();
  }

  @Test
  void anEmailChangedAtThePlatformReachesEveryPatientRecordAndCountsAreComputedOnFirstRead() {
    Team first = team("Mail One");
    Team second = team("Mail Two");
    Person pat = person("Mo Mail");
    addPatient(first, pat, perms("view"));
    addPatient(second, pat, perms("view"));
    HttpResponse<Buffer> changed = call(HttpMethod.POST, "/v1/users/" + pat.id() + "/clinics", server,
        new JsonObject().put("email", "Mo.New@Example.org"));
    assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(204);
    for (Team team : List.of(first, second)) {
      assertThat(ok(get(patient(team.clinicId(), pat.id()), server)).getString("email")).isEqualTo("mo.new@example.org");
    }

    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", oid(first.clinicId())),
        new JsonObject().put("$unset", new JsonObject().put("patientCount", ""))).await();
    JsonObject counted = ok(get("/v1/clinics/" + first.clinicId() + "/patient_count", first.member().token()));
    assertThat(counted.getInteger("total")).isEqualTo(2);
    assertThat(counted.getInteger("demo")).isEqualTo(1);
  }

  @Test
  void getPatientIsForMembersAndServices() {
    Team team = team("Reading");
    JsonObject created = createAccount(team, details("Reed", "1990-01-01"));
    String path = patient(team.clinicId(), created.getString("id"));
    assertThat(ok(get(path, team.member().token())).getString("id")).isEqualTo(created.getString("id"));
    assertError(get(path, person("Outsider").token()), 403, "");
    assertError(get(patient(team.clinicId(), "NOT-A-USER"), team.member().token()), 400, "patientId");
    assertError(get(patient(team.clinicId(), "0123456789"), team.member().token()), 404, "0123456789");
    assertError(get(path, null), 401, "");
  }
}
