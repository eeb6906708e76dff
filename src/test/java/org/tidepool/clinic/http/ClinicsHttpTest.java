package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The clinic operations over HTTP: success, business rules, error statuses, bad input. */
class ClinicsHttpTest extends HttpTestBase {

  @Test
  void createClinicAnswersTheClinicAndMakesTheCallerItsAdmin() {
    Person creator = person("Carla Creator");
    JsonObject clinic = ok(call(HttpMethod.POST, "/v1/clinics", creator.token(), new JsonObject()
        .put("name", "Harbour Clinic").put("preferredBgUnits", "mmol/L").put("country", "US")
        .put("clinicType", "provider_practice").put("clinicSize", "0-249")));

    assertThat(clinic.getString("id")).matches("[a-f0-9]{24}");
    assertThat(clinic.getString("shareCode")).matches("[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){2}");
    assertThat(clinic.getString("tier")).isEqualTo("tier0100");
    assertThat(clinic.getString("tierDescription")).isEqualTo("Free");
    assertThat(clinic.getBoolean("canMigrate")).isFalse();
    assertThat(clinic.getString("preferredBgUnits")).isEqualTo("mmol/L");

    JsonObject admin = ok(get("/v1/clinics/" + clinic.getString("id") + "/clinicians/" + creator.id(), creator.token()));
    assertThat(admin.getString("email")).isEqualTo(creator.email());
    assertThat(admin.getString("name")).isEqualTo("Carla Creator");
    assertThat(admin.getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    long demo = stack.clinicDb().count("patients", new JsonObject().put("userId", DEMO_PATIENT)
        .put("clinicId", new JsonObject().put("$oid", clinic.getString("id")))).await();
    assertThat(demo).isEqualTo(1);
  }

  @Test
  void createClinicRefusesBadInputWithoutWritingAnything() {
    Person creator = person("Bad Input");
    assertError(call(HttpMethod.POST, "/v1/clinics", creator.token(), new JsonObject().put("preferredBgUnits", "mg/dL")), 400, "name");
    assertError(call(HttpMethod.POST, "/v1/clinics", creator.token(), new JsonObject().put("name", "").put("preferredBgUnits", "mg/dL")), 400, "name");
    assertError(call(HttpMethod.POST, "/v1/clinics", creator.token(), new JsonObject().put("name", "X").put("preferredBgUnits", "mg/L")), 400, "preferredBgUnits");
    assertError(call(HttpMethod.POST, "/v1/clinics", creator.token(), new JsonObject().put("name", "X").put("preferredBgUnits", "mg/dL")
        .put("clinicSize", "huge")), 400, "clinicSize");
    long written = stack.clinicDb().count("clinicians", new JsonObject().put("userId", creator.id())).await();
    assertThat(written).isZero();
  }

  @Test
  void createClinicNeedsAUser() {
    assertError(call(HttpMethod.POST, "/v1/clinics", null, new JsonObject().put("name", "X").put("preferredBgUnits", "mg/dL")), 401, "");
    assertError(call(HttpMethod.POST, "/v1/clinics", "not-a-token", new JsonObject().put("name", "X").put("preferredBgUnits", "mg/dL")), 401, "");
    assertError(call(HttpMethod.POST, "/v1/clinics", server, new JsonObject().put("name", "X").put("preferredBgUnits", "mg/dL")), 403, "");
  }

  @Test
  void listClinicsIsForServicesWithFiltersAndPaging() {
    Person creator = person("List Owner");
    JsonObject a = createClinic(creator, "Listed A");
    // clinics of earlier tests are older than the first one created here
    String before = a.getString("createdTime");
    JsonObject b = createClinic(creator, "Listed B");

    JsonArray byCode = okArray(get("/v1/clinics?shareCode=" + b.getString("shareCode"), server));
    assertThat(byCode).hasSize(1);
    assertThat(byCode.getJsonObject(0).getString("id")).isEqualTo(b.getString("id"));
    JsonArray since = okArray(get("/v1/clinics?limit=100&createdTimeStart=" + before, server));
    assertThat(since.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly(a.getString("id"), b.getString("id"));
    JsonArray second = okArray(get("/v1/clinics?offset=1&limit=1&createdTimeStart=" + before, server));
    assertThat(second.getJsonObject(0).getString("id")).isEqualTo(b.getString("id"));

    assertError(get("/v1/clinics", creator.token()), 403, "");
    assertError(get("/v1/clinics?limit=0", server), 400, "limit");
    assertError(get("/v1/clinics?createdTimeStart=yesterday", server), 400, "createdTimeStart");
  }

  @Test
  void getClinicByShareCodeFindsAnyOfItsCodes() {
    Person creator = person("Code Sharer");
    JsonObject clinic = createClinic(creator, "Shared");
    JsonObject found = ok(get("/v1/clinics/share_code/" + clinic.getString("shareCode").toLowerCase(), person("Any User").token()));
    assertThat(found.getString("id")).isEqualTo(clinic.getString("id"));
    assertThat(ok(get("/v1/clinics/share_code/" + clinic.getString("shareCode"), server)).getString("id")).isEqualTo(clinic.getString("id"));
    assertError(get("/v1/clinics/share_code/AAAA-BBBB-CCCC", creator.token()), 404, "AAAA-BBBB-CCCC");
  }

  @Test
  void getClinicIsOpenToAnyLoggedInCaller() {
    JsonObject clinic = createClinic(person("Reader Owner"), "Readable");
    assertThat(ok(get("/v1/clinics/" + clinic.getString("id"), person("Stranger").token())).getString("name")).isEqualTo("Readable");
    assertThat(ok(get("/v1/clinics/" + clinic.getString("id"), server)).getString("name")).isEqualTo("Readable");
    assertError(get("/v1/clinics/" + clinic.getString("id"), null), 401, "");
    assertError(get("/v1/clinics/0123456789abcdef01234567", server), 404, "not found");
    assertError(get("/v1/clinics/not-an-object-id", server), 400, "clinicId");
  }

  @Test
  void updateClinicChangesTheGivenFieldsForAdminsOnly() {
    Person admin = person("Update Admin");
    Person member = person("Update Member");
    JsonObject clinic = ok(call(HttpMethod.POST, "/v1/clinics", admin.token(), new JsonObject()
        .put("name", "Old Name").put("preferredBgUnits", "mg/dL").put("timezone", "US/Pacific").put("city", "Portland")));
    String path = "/v1/clinics/" + clinic.getString("id");
    addMember(clinic.getString("id"), member, "CLINIC_MEMBER");

    JsonObject updated = ok(call(HttpMethod.PUT, path, admin.token(), new JsonObject().put("name", "New Name").put("preferredBgUnits", "mmol/L")));
    assertThat(updated.getString("name")).isEqualTo("New Name");
    assertThat(updated.getString("timezone")).isEqualTo("US/Pacific");
    assertThat(updated.getString("city")).isEqualTo("Portland");
    assertThat(updated.getString("shareCode")).isEqualTo(clinic.getString("shareCode"));
    assertThat(ok(call(HttpMethod.PUT, path, server, new JsonObject().put("name", "By Service").put("preferredBgUnits", "mg/dL")))
        .getString("name")).isEqualTo("By Service");

    assertError(call(HttpMethod.PUT, path, member.token(), new JsonObject().put("name", "Hijack").put("preferredBgUnits", "mg/dL")), 403, "");
    assertError(call(HttpMethod.PUT, path, admin.token(), new JsonObject().put("name", "").put("preferredBgUnits", "mg/dL")), 400, "name");
    assertError(call(HttpMethod.PUT, path, admin.token(), new JsonObject().put("name", "X").put("preferredBgUnits", "mg/dL")
        .put("website", 42)), 400, "website");
    assertThat(ok(get(path, admin.token())).getString("name")).isEqualTo("By Service");
  }

  @Test
  void aCallerWhoMayNotUpdateTheClinicGets403WhateverTheBody() {
    Person admin = person("Guard Admin");
    Person member = person("Guard Member");
    JsonObject clinic = createClinic(admin, "Guarded");
    String path = "/v1/clinics/" + clinic.getString("id");
    addMember(clinic.getString("id"), member, "CLINIC_MEMBER");
    JsonObject invalid = new JsonObject().put("name", 42).put("clinicSize", "huge");

    assertError(call(HttpMethod.PUT, path, member.token(), invalid), 403, "");
    assertError(call(HttpMethod.PUT, path, person("Outsider").token(), invalid), 403, "");
    assertError(call(HttpMethod.PUT, path, admin.token(), invalid), 400, "body");
    // the rule needs the path: a malformed clinic id is still a 400 naming it
    assertError(call(HttpMethod.PUT, "/v1/clinics/not-a-clinic-id", member.token(), invalid), 400, "clinicId");
    assertThat(ok(get(path, admin.token())).getString("name")).isEqualTo("Guarded");
  }

  @Test
  void deleteClinicOnlyWhenNoRealPatientsRemain() {
    Person admin = person("Delete Admin");
    Person member = person("Delete Member");
    JsonObject full = createClinic(admin, "Full");
    stack.clinicDb().insert("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", full.getString("id")))
        .put("userId", newUserId())).await();
    assertError(call(HttpMethod.DELETE, "/v1/clinics/" + full.getString("id"), admin.token(), null), 400, "non-empty");

    JsonObject empty = createClinic(admin, "Empty");
    addMember(empty.getString("id"), member, "CLINIC_MEMBER");
    assertError(call(HttpMethod.DELETE, "/v1/clinics/" + empty.getString("id"), member.token(), null), 403, "");
    var deleted = call(HttpMethod.DELETE, "/v1/clinics/" + empty.getString("id"), admin.token(), null);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body()).isNull();
    assertError(get("/v1/clinics/" + empty.getString("id"), admin.token()), 404, "not found");
    JsonObject archive = stack.clinicDb().findOne("clinic_deletions",
        new JsonObject().put("clinic._id", new JsonObject().put("$oid", empty.getString("id"))), null).await();
    assertThat(archive.getString("deletedByUserId")).isEqualTo(admin.id());
    assertError(call(HttpMethod.DELETE, "/v1/clinics/" + empty.getString("id"), server, null), 404, "not found");
  }
}
