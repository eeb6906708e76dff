package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clinician, invite-record and service-account operations over HTTP. */
class CliniciansHttpTest extends HttpTestBase {

  private String members(String clinicId) {
    return "/v1/clinics/" + clinicId + "/clinicians";
  }

  private String member(String clinicId, String userId) {
    return members(clinicId) + "/" + userId;
  }

  private String invite(String clinicId, String inviteId) {
    return "/v1/clinics/" + clinicId + "/invites/clinicians/" + inviteId + "/clinician";
  }

  private static List<String> names(JsonArray clinicians) {
    return clinicians.stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  @Test
  void listCliniciansSearchesAndFiltersForMembers() {
    Person admin = person("Alice Admin");
    Person member = person("Bob Member");
    String clinicId = createClinic(admin, "Listing").getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER", "PRESCRIBER");
    ok(call(HttpMethod.POST, members(clinicId), server, clinician("pending.1@example.org", "CLINIC_MEMBER").put("inviteId", "pending-1").put("name", "Pat (Pending)")));

    assertThat(okArray(get(members(clinicId), member.token()))).hasSize(3);
    assertThat(names(okArray(get(members(clinicId) + "?search=bob%20mem", admin.token())))).containsExactly("Bob Member");
    assertThat(names(okArray(get(members(clinicId) + "?search=T%20(P", admin.token())))).containsExactly("Pat (Pending)");
    assertThat(names(okArray(get(members(clinicId) + "?search=PENDING.1@", admin.token())))).containsExactly("Pat (Pending)");
    assertThat(okArray(get(members(clinicId) + "?search=.*", admin.token()))).isEmpty();
    assertThat(names(okArray(get(members(clinicId) + "?role=PRESCRIBER", admin.token())))).containsExactly("Bob Member");
    assertThat(names(okArray(get(members(clinicId) + "?email=" + admin.email(), admin.token())))).containsExactly("Alice Admin");
    assertThat(okArray(get(members(clinicId) + "?offset=2&limit=5", server))).hasSize(1);

    assertError(get(members(clinicId), person("Not A Member").token()), 403, "");
    assertError(get(members(clinicId) + "?limit=0", admin.token()), 400, "limit");
    assertError(get(members(clinicId) + "?email=not-an-email", admin.token()), 400, "email");
  }

  @Test
  void createClinicianIsInternalAndUniquePerClinic() {
    Person admin = person("Creator Admin");
    String clinicId = createClinic(admin, "Inviting").getString("id");
    JsonObject created = ok(call(HttpMethod.POST, members(clinicId), server,
        clinician("New.Person@Example.org", "CLINIC_MEMBER").put("inviteId", "inv-new")));
    assertThat(created.getString("inviteId")).isEqualTo("inv-new");
    assertThat(created.getString("email")).isEqualTo("new.person@example.org");
    assertThat(created.containsKey("id")).isFalse();

    assertError(call(HttpMethod.POST, members(clinicId), server, clinician("new.person@example.org", "CLINIC_MEMBER").put("inviteId", "inv-2")),
        409, "already a member");
    assertError(call(HttpMethod.POST, members(clinicId), server, clinician("other@example.org", "CLINIC_MEMBER").put("inviteId", "inv-new")),
        409, "already a member");
    assertError(call(HttpMethod.POST, members(clinicId), admin.token(), clinician("x@example.org", "CLINIC_MEMBER")), 403, "");
    assertError(call(HttpMethod.POST, members(clinicId), server, clinician("x@example.org", "CLINIC_OWNER")), 400, "roles");
    assertError(call(HttpMethod.POST, members(clinicId), server, clinician("x@example.org")), 400, "roles");
    assertError(call(HttpMethod.POST, members("0123456789abcdef01234567"), server, clinician("x@example.org", "CLINIC_MEMBER")), 404, "not found");
  }

  @Test
  void getClinicianForMembers() {
    Person admin = person("Getter Admin");
    String clinicId = createClinic(admin, "Getting").getString("id");
    assertThat(ok(get(member(clinicId, admin.id()), server)).getString("id")).isEqualTo(admin.id());
    assertError(get(member(clinicId, "0123456789"), admin.token()), 404, "0123456789");
    assertError(get(member(clinicId, admin.id()), person("Outsider").token()), 403, "");
    assertError(get(member(clinicId, "NOT-A-USER"), admin.token()), 400, "clinicianId");
  }

  @Test
  void updateClinicianAuditsRolesAndKeepsAnAdmin() {
    Person admin = person("Boss Admin");
    Person member = person("Rising Member");
    String clinicId = createClinic(admin, "Roles").getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER");

    assertError(call(HttpMethod.PUT, member(clinicId, admin.id()), member.token(), clinician(admin.email(), "CLINIC_MEMBER")), 403, "");
    assertError(call(HttpMethod.PUT, member(clinicId, admin.id()), admin.token(), clinician(admin.email(), "CLINIC_MEMBER")),
        422, "the clinic must have at least one admin");

    JsonObject promoted = ok(call(HttpMethod.PUT, member(clinicId, member.id()), admin.token(),
        clinician(member.email(), "CLINIC_ADMIN").put("name", "Dr Rising")));
    assertThat(promoted.getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(promoted.getString("name")).isEqualTo("Dr Rising");
    JsonObject stored = stack.clinicDb().findOne("clinicians", new JsonObject().put("userId", member.id()), null).await();
    assertThat(stored.getJsonArray("rolesUpdates").getJsonObject(0).getString("updatedBy")).isEqualTo(admin.id());

    // now the first admin may step down
    assertThat(ok(call(HttpMethod.PUT, member(clinicId, admin.id()), member.token(), clinician(admin.email(), "CLINIC_MEMBER")))
        .getJsonArray("roles")).containsExactly("CLINIC_MEMBER");
    assertError(call(HttpMethod.PUT, member(clinicId, member.id()), member.token(), clinician(member.email(), "CLINIC_MEMBER", "CLINIC_MEMBER")),
        400, "roles");
    assertError(call(HttpMethod.PUT, member(clinicId, "0123456789"), member.token(), clinician("x@example.org", "CLINIC_MEMBER")), 404, "0123456789");
  }

  @Test
  void clinicianWritesOnANotMigratedClinicAreRefused() {
    Person admin = person("Legacy Admin");
    String clinicId = createClinic(admin, "Legacy").getString("id");
    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinicId)),
        new JsonObject().put("$set", new JsonObject().put("isMigrated", false))).await();
    assertError(call(HttpMethod.PUT, member(clinicId, admin.id()), admin.token(), clinician(admin.email(), "CLINIC_ADMIN", "PRESCRIBER")),
        422, "clinic is not migrated");
    assertError(call(HttpMethod.POST, members(clinicId), server, clinician("late@example.org", "CLINIC_MEMBER")), 422, "clinic is not migrated");
    assertError(call(HttpMethod.DELETE, member(clinicId, admin.id()), admin.token(), null), 422, "clinic is not migrated");
  }

  @Test
  void deleteClinicianLetsMembersLeaveButNeverTheLastAdmin() {
    Person admin = person("Staying Admin");
    Person member = person("Leaving Member");
    Person other = person("Other Member");
    String clinicId = createClinic(admin, "Leaving").getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER");
    addMember(clinicId, other, "CLINIC_MEMBER");

    assertError(call(HttpMethod.DELETE, member(clinicId, other.id()), member.token(), null), 403, "");
    var left = call(HttpMethod.DELETE, member(clinicId, member.id()), member.token(), null);
    assertThat(left.statusCode()).as(left.bodyAsString()).isEqualTo(200);
    assertThat(left.body()).isNull();
    assertError(get(member(clinicId, member.id()), admin.token()), 404, member.id());
    assertThat(call(HttpMethod.DELETE, member(clinicId, other.id()), server, null).statusCode()).isEqualTo(200);
    assertError(call(HttpMethod.DELETE, member(clinicId, admin.id()), admin.token(), null), 422, "the clinic must have at least one admin");
    JsonObject archive = stack.clinicDb().findOne("clinician_deletions", new JsonObject().put("clinician.userId", member.id()), null).await();
    assertThat(archive.getString("deletedByUserId")).isEqualTo(member.id());
  }

  @Test
  void listClinicsForClinicianIsForTheUserThemselves() {
    Person admin = person("Two Clinics");
    String first = createClinic(admin, "First Of Two").getString("id");
    String second = createClinic(admin, "Second Of Two").getString("id");
    JsonArray mine = okArray(get("/v1/clinicians/" + admin.id() + "/clinics", admin.token()));
    assertThat(mine.stream().map(o -> ((JsonObject) o).getJsonObject("clinic").getString("id"))).containsExactly(second, first);
    assertThat(mine.getJsonObject(0).getJsonObject("clinician").getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    assertThat(okArray(get("/v1/clinicians/" + admin.id() + "/clinics?limit=1", server))).hasSize(1);
    assertError(get("/v1/clinicians/" + admin.id() + "/clinics", person("Nosy").token()), 403, "");
  }

  @Test
  void listAllCliniciansIsForServices() {
    Instant before = Instant.now().minusMillis(5);
    Person admin = person("Reported Admin");
    String clinicId = createClinic(admin, "Reported").getString("id");
    JsonArray all = okArray(get("/v1/clinicians?limit=1000&createdTimeStart=" + before, server));
    assertThat(all.stream().map(o -> (JsonObject) o)
        .filter(pair -> admin.id().equals(pair.getJsonObject("clinician").getString("id")))
        .map(pair -> pair.getJsonObject("clinic").getString("id"))).containsExactly(clinicId);
    assertThat(okArray(get("/v1/clinicians?createdTimeEnd=" + before + "&createdTimeStart=" + before, server))).isEmpty();
    assertError(get("/v1/clinicians", admin.token()), 403, "");
    assertError(get("/v1/clinicians?offset=-1", server), 400, "offset");
  }

  @Test
  void serviceAccountsAreAddedAsMembers() {
    Person admin = person("Robot Admin");
    String clinicId = createClinic(admin, "Robotic").getString("id");
    String robotId = newUserId();
    serviceAccount(ROBOT_CLIENT, robotId);
    String path = "/v1/clinics/" + clinicId + "/service_accounts";
    JsonObject robot = ok(call(HttpMethod.POST, path, server, new JsonObject()
        .put("name", "Uploader Bot").put("client_id", ROBOT_CLIENT).put("client_secret", ROBOT_SECRET)));
    assertThat(robot.getString("id")).isEqualTo(robotId);
    assertThat(robot.getJsonArray("roles")).containsExactly("CLINIC_MEMBER");

    assertError(call(HttpMethod.POST, path, server, new JsonObject()
        .put("name", "Uploader Bot").put("client_id", ROBOT_CLIENT).put("client_secret", ROBOT_SECRET)), 409, "already a member");
    assertError(call(HttpMethod.POST, path, server, new JsonObject()
        .put("name", "Bot").put("client_id", "unknown-client").put("client_secret", "nope")), 400, "credentials");
    assertError(call(HttpMethod.POST, path, admin.token(), new JsonObject()
        .put("name", "Bot").put("client_id", ROBOT_CLIENT).put("client_secret", ROBOT_SECRET)), 403, "");
    assertError(call(HttpMethod.POST, path, server, new JsonObject().put("name", "Bot").put("client_id", ROBOT_CLIENT)), 400, "client_secret");
  }

  @Test
  void inviteRecordsAreReadAcceptedAndDeleted() {
    Person admin = person("Invite Admin");
    Person invitee = person("Ivan Invitee");
    // the invitee has used the service once, so the directory knows their name
    get("/v1/clinicians/" + invitee.id() + "/clinics", invitee.token());
    String clinicId = createClinic(admin, "Invites").getString("id");
    ok(call(HttpMethod.POST, members(clinicId), server, clinician(invitee.email(), "CLINIC_ADMIN").put("inviteId", "inv-accept")));
    ok(call(HttpMethod.POST, members(clinicId), server, clinician("dropped@example.org", "CLINIC_MEMBER").put("inviteId", "inv-drop")));

    assertThat(ok(get(invite(clinicId, "inv-accept"), server)).getString("email")).isEqualTo(invitee.email());
    assertError(get(invite(clinicId, "inv-accept"), admin.token()), 403, "");
    assertError(get(invite(clinicId, "inv-none"), server), 404, "inv-none");

    JsonObject accepted = ok(call(HttpMethod.PATCH, invite(clinicId, "inv-accept"), server, new JsonObject().put("userId", invitee.id())));
    assertThat(accepted.getString("id")).isEqualTo(invitee.id());
    assertThat(accepted.getString("name")).isEqualTo("Ivan Invitee");
    assertThat(accepted.containsKey("inviteId")).isFalse();
    // as an admin now, the invitee lets the first admin step down
    ok(call(HttpMethod.PUT, member(clinicId, admin.id()), invitee.token(), clinician(admin.email(), "CLINIC_MEMBER")));
    assertError(call(HttpMethod.PATCH, invite(clinicId, "inv-drop"), server, new JsonObject().put("userId", invitee.id())), 409, "already a member");
    assertError(call(HttpMethod.PATCH, invite(clinicId, "inv-drop"), server, new JsonObject()), 400, "userId");

    assertThat(call(HttpMethod.DELETE, invite(clinicId, "inv-drop"), server, null).statusCode()).isEqualTo(200);
    assertError(get(invite(clinicId, "inv-drop"), server), 404, "inv-drop");
    assertError(call(HttpMethod.DELETE, invite(clinicId, "inv-drop"), server, null), 404, "inv-drop");
  }
}
