package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The tag and site operations over HTTP (rules 27, 28, D9, D10, D22): each rule, every error
 * status, who may call them, nothing written on a refusal, and the clinic's {@code numPatients}
 * per tag and site after every kind of change.
 */
class PatientGroupsHttpTest extends HttpTestBase {
  static final String UNKNOWN_ID = "0123456789abcdef01234567";

  /** A clinic of a new admin, with a member. */
  private record Team(String clinicId, Person admin, Person member) {
    String uri() {
      return "/v1/clinics/" + clinicId;
    }
  }

  private Team team(String name) {
    Person admin = person(name + " Admin");
    Person member = person(name + " Member");
    String clinicId = createClinic(admin, name).getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER");
    return new Team(clinicId, admin, member);
  }

  private JsonObject clinic(Team team) {
    return ok(get(team.uri(), server));
  }

  private JsonObject tag(Team team, String name) {
    return ok(call(HttpMethod.POST, team.uri() + "/patient_tags", team.member().token(), new JsonObject().put("name", name)));
  }

  private JsonObject site(Team team, String name) {
    return ok(call(HttpMethod.POST, team.uri() + "/sites", team.admin().token(), new JsonObject().put("name", name)));
  }

  /** A custodial patient with these tags and sites (ids); its user id. */
  private String patient(Team team, String name, List<String> tagIds, List<String> siteIds) {
    JsonArray sites = new JsonArray();
    siteIds.forEach(id -> sites.add(new JsonObject().put("id", id)));
    return ok(call(HttpMethod.POST, team.uri() + "/patients", team.member().token(), new JsonObject().put("fullName", name)
        .put("birthDate", "2001-02-03").put("tags", new JsonArray(tagIds)).put("sites", sites))).getString("id");
  }

  private JsonObject patientOf(Team team, String userId) {
    return ok(get(team.uri() + "/patients/" + userId, server));
  }

  private static long numPatients(JsonObject clinic, String field, String id) {
    return clinic.getJsonArray(field).stream().map(JsonObject.class::cast).filter(group -> id.equals(group.getString("id")))
        .findFirst().orElseThrow(() -> new AssertionError(field + " has no " + id + ": " + clinic.getJsonArray(field)))
        .getLong("numPatients");
  }

  private static List<String> names(JsonObject clinic, String field) {
    JsonArray groups = clinic.getJsonArray(field, new JsonArray());
    return groups.stream().map(JsonObject.class::cast).map(group -> group.getString("name")).toList();
  }

  private static List<String> tagsOf(JsonObject patient) {
    return patient.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList();
  }

  private static List<String> siteNames(JsonObject patient) {
    return patient.getJsonArray("sites", new JsonArray()).stream().map(JsonObject.class::cast).map(s -> s.getString("name")).toList();
  }

  private JsonObject storedClinic(Team team) {
    return stack.clinicDb().findOne("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", team.clinicId())), null).await();
  }

  @Test
  void tagsAreCreatedRenamedAndDeletedWithTheirRules() {
    Team team = team("Tags");
    JsonObject created = tag(team, "Type 1  ");
    assertThat(created.getString("id")).matches("[0-9a-f]{24}");
    assertThat(created.getString("name")).isEqualTo("Type 1");
    assertThat(created.getLong("numPatients")).isZero();
    assertThat(names(clinic(team), "patientTags")).containsExactly("Type 1");
    String tagUri = team.uri() + "/patient_tags/" + created.getString("id");

    // duplicates ignore case and whitespace (409); bad names are 400 naming the field; nothing is written
    long revision = storedClinic(team).getLong("revision");
    assertError(call(HttpMethod.POST, team.uri() + "/patient_tags", team.member().token(), new JsonObject().put("name", "TYPE1")),
        409, "duplicate patient tag");
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("name", ""), new JsonObject().put("name", "x".repeat(21)),
        new JsonObject().put("name", " leading"), new JsonObject().put("name", "semi;colon"), new JsonObject().put("name", 7))) {
      assertError(call(HttpMethod.POST, team.uri() + "/patient_tags", team.member().token(), bad), 400, "name");
    }
    assertThat(storedClinic(team).getLong("revision")).isEqualTo(revision);

    // rename: to its own name in another case is fine, to another tag's name is not
    JsonObject other = tag(team, "Pump");
    assertThat(ok(call(HttpMethod.PUT, tagUri, team.member().token(), new JsonObject().put("name", "TYPE 1"))).getString("name"))
        .isEqualTo("TYPE 1");
    assertError(call(HttpMethod.PUT, tagUri, team.member().token(), new JsonObject().put("name", "pump")), 409, "duplicate patient tag");
    assertThat(ok(call(HttpMethod.PUT, tagUri, server, new JsonObject().put("name", "Type One"))).getString("id"))
        .isEqualTo(created.getString("id"));
    assertError(call(HttpMethod.PUT, team.uri() + "/patient_tags/" + UNKNOWN_ID, server, new JsonObject().put("name", "X")), 404, "not found");
    assertError(call(HttpMethod.PUT, team.uri() + "/patient_tags/nothex", server, new JsonObject().put("name", "X")), 400, "patientTagId");
    assertError(call(HttpMethod.POST, "/v1/clinics/" + UNKNOWN_ID + "/patient_tags", server, new JsonObject().put("name", "X")), 404,
        "not found");

    // delete: admin or service; the clinic shows it as the last deleted (D10)
    assertError(call(HttpMethod.DELETE, tagUri, team.member().token(), null), 403, "");
    assertError(call(HttpMethod.DELETE, tagUri, person("Outsider").token(), null), 403, "");
    assertThat(call(HttpMethod.DELETE, tagUri, team.admin().token(), null).statusCode()).isEqualTo(204);
    JsonObject afterDelete = clinic(team);
    assertThat(names(afterDelete, "patientTags")).containsExactly("Pump");
    assertThat(afterDelete.getJsonObject("lastDeletedPatientTag"))
        .isEqualTo(new JsonObject().put("id", created.getString("id")).put("name", "Type One"));
    assertError(call(HttpMethod.DELETE, tagUri, server, null), 404, "not found");
    assertThat(call(HttpMethod.DELETE, team.uri() + "/patient_tags/" + other.getString("id"), server, null).statusCode()).isEqualTo(204);

    // who may create: members and services, not outsiders
    assertError(call(HttpMethod.POST, team.uri() + "/patient_tags", person("Stranger").token(), new JsonObject().put("name", "Z")), 403, "");
    assertThat(ok(call(HttpMethod.POST, team.uri() + "/patient_tags", server, new JsonObject().put("name", "By Service")))
        .getString("name")).isEqualTo("By Service");
  }

  @Test
  void aClinicHasAtMostFiftyTagsAndFiftySites() {
    Team team = team("Limits");
    IntStream.range(0, 50).forEach(i -> tag(team, "tag" + i));
    IntStream.range(0, 50).forEach(i -> site(team, "Site " + i));
    assertError(call(HttpMethod.POST, team.uri() + "/patient_tags", server, new JsonObject().put("name", "one more")), 422, "maximum");
    assertError(call(HttpMethod.POST, team.uri() + "/sites", server, new JsonObject().put("name", "one more")), 422, "maximum");
    JsonObject clinic = clinic(team);
    assertThat(clinic.getJsonArray("patientTags")).hasSize(50);
    assertThat(clinic.getJsonArray("sites")).hasSize(50);
    // a tag cannot become a 51st site
    String tagId = clinic.getJsonArray("patientTags").getJsonObject(0).getString("id");
    assertError(call(HttpMethod.POST, team.uri() + "/patient_tags/" + tagId + "/site", server, null), 409, "maximum");
    assertThat(clinic(team).getJsonArray("patientTags")).hasSize(50);
  }

  @Test
  void tagsAreAssignedAndRemovedAndTheCountsFollowEveryPatientWrite() {
    Team team = team("Counting");
    String tagA = tag(team, "A").getString("id");
    String tagB = tag(team, "B").getString("id");
    String siteId = site(team, "North").getString("id");
    String ann = patient(team, "Ann", List.of(tagA), List.of(siteId));
    String bob = patient(team, "Bob", List.of(), List.of());
    String cy = patient(team, "Cy", List.of(tagA, tagB), List.of(siteId));
    JsonObject clinic = clinic(team);
    assertThat(numPatients(clinic, "patientTags", tagA)).isEqualTo(2);
    assertThat(numPatients(clinic, "patientTags", tagB)).isEqualTo(1);
    assertThat(numPatients(clinic, "sites", siteId)).isEqualTo(2);

    // an update changes them
    ok(call(HttpMethod.PUT, team.uri() + "/patients/" + cy, team.member().token(), new JsonObject().put("fullName", "Cy")
        .put("birthDate", "2001-02-03").put("tags", new JsonArray().add(tagB)).put("sites", new JsonArray())));
    clinic = clinic(team);
    assertThat(numPatients(clinic, "patientTags", tagA)).isEqualTo(1);
    assertThat(numPatients(clinic, "sites", siteId)).isEqualTo(1);

    // assignment to listed patients (unknown ones ignored), then to all
    HttpResponse<Buffer> assigned = call(HttpMethod.POST, team.uri() + "/patients/assign_tag/" + tagB, team.admin().token(),
        new JsonArray().add(bob).add("ffffffffff"));
    assertThat(assigned.statusCode()).as(assigned.bodyAsString()).isEqualTo(200);
    assertThat(tagsOf(patientOf(team, bob))).containsExactly(tagB);
    assertThat(numPatients(clinic(team), "patientTags", tagB)).isEqualTo(2);
    assertThat(call(HttpMethod.POST, team.uri() + "/patients/assign_tag/" + tagB, server, null).statusCode()).isEqualTo(200);
    assertThat(tagsOf(patientOf(team, ann))).containsExactlyInAnyOrder(tagA, tagB);
    assertThat(tagsOf(patientOf(team, DEMO_PATIENT))).containsExactly(tagB); // all: the demo patient too
    assertThat(numPatients(clinic(team), "patientTags", tagB)).isEqualTo(4);

    // a tag the clinic has not is 404 (D22), a malformed list 400; nothing is written
    long annRevision = patientRevision(team, ann);
    assertError(call(HttpMethod.POST, team.uri() + "/patients/assign_tag/" + UNKNOWN_ID, server, null), 404, "not found");
    assertError(call(HttpMethod.POST, team.uri() + "/patients/assign_tag/" + tagA, server, new JsonArray()), 400, "");
    assertError(call(HttpMethod.POST, team.uri() + "/patients/assign_tag/" + tagA, server, new JsonArray().add("x")), 400, "");
    assertError(call(HttpMethod.POST, team.uri() + "/patients/assign_tag/" + tagA, server, new JsonObject()), 400, "");
    assertError(call(HttpMethod.POST, team.uri() + "/patients/assign_tag/" + tagA, team.member().token(), null), 403, "");
    assertError(call(HttpMethod.POST, team.uri() + "/patients/delete_tag/" + tagA, team.member().token(), null), 403, "");
    assertThat(patientRevision(team, ann)).isEqualTo(annRevision);

    // removal from listed patients, then from all
    assertThat(call(HttpMethod.POST, team.uri() + "/patients/delete_tag/" + tagB, team.admin().token(), new JsonArray().add(ann))
        .statusCode()).isEqualTo(200);
    assertThat(tagsOf(patientOf(team, ann))).containsExactly(tagA);
    assertThat(numPatients(clinic(team), "patientTags", tagB)).isEqualTo(3);
    assertThat(call(HttpMethod.POST, team.uri() + "/patients/delete_tag/" + tagB, server, null).statusCode()).isEqualTo(200);
    assertThat(tagsOf(patientOf(team, bob))).isEmpty();
    assertThat(numPatients(clinic(team), "patientTags", tagB)).isZero();

    // a patient removed is counted out
    assertThat(call(HttpMethod.DELETE, team.uri() + "/patients/" + ann, team.admin().token(), null).statusCode()).isEqualTo(204);
    clinic = clinic(team);
    assertThat(numPatients(clinic, "patientTags", tagA)).isZero();
    assertThat(numPatients(clinic, "sites", siteId)).isZero();
  }

  private long patientRevision(Team team, String userId) {
    return stack.clinicDb().findOne("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", team.clinicId()))
        .put("userId", userId), null).await().getLong("revision", 0L);
  }

  @Test
  void sitesAreCreatedRenamedAndDeletedOnTheClinicAndEveryPatientsCopy() {
    Team team = team("Sites");
    JsonObject north = site(team, "North Wing");
    assertThat(north.fieldNames()).containsExactlyInAnyOrder("id", "name", "numPatients"); // D9: site.v1, no patients key
    String siteId = north.getString("id");
    String other = site(team, "South").getString("id");
    String ann = patient(team, "Ann", List.of(), List.of(siteId, other));
    String bob = patient(team, "Bob", List.of(), List.of(siteId));

    long revision = storedClinic(team).getLong("revision");
    assertError(call(HttpMethod.POST, team.uri() + "/sites", server, new JsonObject().put("name", "north  WING")), 409, "duplicate site name");
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("name", ""), new JsonObject().put("name", " lead"),
        new JsonObject().put("name", "x".repeat(201)), new JsonObject().put("name", List.of()))) {
      assertError(call(HttpMethod.POST, team.uri() + "/sites", server, bad), 400, "name");
    }
    assertError(call(HttpMethod.POST, team.uri() + "/sites", team.member().token(), new JsonObject().put("name", "Member's")), 403, "");
    assertThat(storedClinic(team).getLong("revision")).isEqualTo(revision);

    // rename ripples to the patients' copies
    JsonObject renamed = ok(call(HttpMethod.PUT, team.uri() + "/sites/" + siteId, team.admin().token(),
        new JsonObject().put("id", siteId).put("name", "East Wing")));
    assertThat(renamed).isEqualTo(new JsonObject().put("id", siteId).put("name", "East Wing").put("numPatients", 2));
    assertThat(siteNames(patientOf(team, ann))).containsExactly("East Wing", "South");
    assertThat(siteNames(patientOf(team, bob))).containsExactly("East Wing");
    assertError(call(HttpMethod.PUT, team.uri() + "/sites/" + siteId, server, new JsonObject().put("name", "SOUTH")), 409, "duplicate site name");
    assertError(call(HttpMethod.PUT, team.uri() + "/sites/" + UNKNOWN_ID, server, new JsonObject().put("name", "X")), 404, "not found");
    assertError(call(HttpMethod.PUT, team.uri() + "/sites/" + siteId, team.member().token(), new JsonObject().put("name", "Y")), 403, "");
    assertThat(siteNames(patientOf(team, bob))).containsExactly("East Wing");

    // delete: off the clinic and off the patients
    assertError(call(HttpMethod.DELETE, team.uri() + "/sites/" + siteId, team.member().token(), null), 403, "");
    assertThat(call(HttpMethod.DELETE, team.uri() + "/sites/" + siteId, team.admin().token(), null).statusCode()).isEqualTo(204);
    assertThat(names(clinic(team), "sites")).containsExactly("South");
    assertThat(siteNames(patientOf(team, ann))).containsExactly("South");
    assertThat(siteNames(patientOf(team, bob))).isEmpty();
    assertThat(numPatients(clinic(team), "sites", other)).isEqualTo(1);
    assertError(call(HttpMethod.DELETE, team.uri() + "/sites/" + siteId, server, null), 404, "not found");
    assertError(call(HttpMethod.DELETE, team.uri() + "/sites/bad", server, null), 400, "siteId");
  }

  @Test
  void aSiteMergedIntoAnotherHandsOverItsPatientsAndGoes() {
    Team team = team("Merging");
    String target = site(team, "Main").getString("id");
    String source = site(team, "Annex").getString("id");
    String ann = patient(team, "Ann", List.of(), List.of(source));
    String bob = patient(team, "Bob", List.of(), List.of(source, target));
    String cy = patient(team, "Cy", List.of(), List.of(target));
    String mergeUri = team.uri() + "/sites/" + target + "/merge";

    assertError(call(HttpMethod.POST, mergeUri, team.admin().token(), new JsonObject().put("id", source)), 403, "");
    assertError(call(HttpMethod.POST, mergeUri, server, new JsonObject().put("id", target)), 400, "itself");
    assertError(call(HttpMethod.POST, mergeUri, server, new JsonObject().put("id", UNKNOWN_ID)), 404, "not found");
    assertError(call(HttpMethod.POST, team.uri() + "/sites/" + UNKNOWN_ID + "/merge", server, new JsonObject().put("id", source)), 404,
        "not found");
    assertError(call(HttpMethod.POST, mergeUri, server, new JsonObject().put("id", "short")), 400, "id");
    assertError(call(HttpMethod.POST, mergeUri, server, new JsonObject()), 400, "id");
    assertThat(siteNames(patientOf(team, ann))).containsExactly("Annex");

    JsonObject merged = ok(call(HttpMethod.POST, mergeUri, server, new JsonObject().put("id", source)));
    assertThat(merged).isEqualTo(new JsonObject().put("id", target).put("name", "Main").put("numPatients", 3));
    assertThat(names(clinic(team), "sites")).containsExactly("Main");
    assertThat(siteNames(patientOf(team, ann))).containsExactly("Main");
    assertThat(siteNames(patientOf(team, bob))).containsExactly("Main");
    assertThat(siteNames(patientOf(team, cy))).containsExactly("Main");
  }

  @Test
  void aTagBecomesASiteRenamedWhenTheNameIsTaken() {
    Team team = team("Converting");
    JsonObject tag = tag(team, "North");
    String keptTag = tag(team, "Kept").getString("id");
    site(team, "north");
    site(team, "NORTH (2)");
    String ann = patient(team, "Ann", List.of(tag.getString("id"), keptTag), List.of());
    String bob = patient(team, "Bob", List.of(keptTag), List.of());
    String convertUri = team.uri() + "/patient_tags/" + tag.getString("id") + "/site";

    assertError(call(HttpMethod.POST, convertUri, team.admin().token(), null), 403, "");
    assertError(call(HttpMethod.POST, team.uri() + "/patient_tags/" + UNKNOWN_ID + "/site", server, null), 404, "not found");

    JsonObject site = ok(call(HttpMethod.POST, convertUri, server, null));
    assertThat(site.getString("name")).isEqualTo("North (3)");
    assertThat(site.getLong("numPatients")).isEqualTo(1);
    JsonObject clinic = clinic(team);
    assertThat(names(clinic, "sites")).containsExactly("north", "NORTH (2)", "North (3)");
    assertThat(names(clinic, "patientTags")).containsExactly("Kept");
    assertThat(tagsOf(patientOf(team, ann))).containsExactly(keptTag);
    assertThat(siteNames(patientOf(team, ann))).containsExactly("North (3)");
    assertThat(siteNames(patientOf(team, bob))).isEmpty();
    assertError(call(HttpMethod.POST, convertUri, server, null), 404, "not found");
  }
}
