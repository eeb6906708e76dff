package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clinic settings operations over HTTP: success, rules, error statuses, bad input that writes nothing. */
class SettingsHttpTest extends HttpTestBase {
  static final String UNKNOWN_CLINIC = "0123456789abcdef01234567";

  private String uri(JsonObject clinic, String rest) {
    return "/v1/clinics/" + clinic.getString("id") + rest;
  }

  private JsonObject document(JsonObject clinic) {
    return stack.clinicDb().findOne("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinic.getString("id"))), null)
        .await();
  }

  private static void noContent200(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsString()).isNullOrEmpty();
  }

  static JsonObject ehr() {
    return new JsonObject()
        .put("enabled", true).put("sourceId", "source-1").put("provider", "redox").put("mrnIdType", "MR")
        .put("procedureCodes", new JsonObject().put("enableSummaryReports", "E1").put("disableSummaryReports", "D1"))
        .put("destinationIds", new JsonObject().put("flowsheet", "f").put("results", "r").put("notes", "n"))
        .put("scheduledReports", new JsonObject().put("onUploadEnabled", true).put("onUploadNoteEventType", "Replace").put("cadence", "7d"))
        .put("tags", new JsonObject().put("codes", new JsonArray().add("T1").add("T2")).put("separator", ","))
        .put("flowsheets", new JsonObject().put("icode", true));
  }

  @Test
  void updateTierIsForServicesAndShowsInTheClinic() {
    Person admin = person("Tier Admin");
    JsonObject clinic = createClinic(admin, "Tiered");
    long revision = document(clinic).getLong("revision", 0L);

    noContent200(call(HttpMethod.POST, uri(clinic, "/tier"), server, new JsonObject().put("tier", "tier0300")));

    JsonObject read = ok(get(uri(clinic, ""), admin.token()));
    assertThat(read.getString("tier")).isEqualTo("tier0300");
    assertThat(read.getString("tierDescription")).isEqualTo("Premium");
    JsonObject stored = document(clinic);
    assertThat(stored.getLong("revision")).isEqualTo(revision + 1);
    JsonObject change = stack.clinicDb().findOne("cdc_outbox", new JsonObject()
        .put("documentKey._id", new JsonObject().put("$oid", clinic.getString("id"))).put("operationType", "update"), null).await();
    assertThat(change.getJsonObject("expect").getJsonArray("updatedFields")).contains("tier");

    assertError(call(HttpMethod.POST, uri(clinic, "/tier"), server, new JsonObject().put("tier", "tier0500")), 400, "tier");
    assertError(call(HttpMethod.POST, uri(clinic, "/tier"), server, new JsonObject()), 400, "tier");
    assertError(call(HttpMethod.POST, uri(clinic, "/tier"), admin.token(), new JsonObject().put("tier", "tier0200")), 403, "");
    assertError(call(HttpMethod.POST, uri(clinic, "/tier"), null, new JsonObject().put("tier", "tier0200")), 401, "");
    assertError(call(HttpMethod.POST, "/v1/clinics/" + UNKNOWN_CLINIC + "/tier", server, new JsonObject().put("tier", "tier0200")), 404, "");
    assertError(call(HttpMethod.POST, "/v1/clinics/not-an-id/tier", server, new JsonObject().put("tier", "tier0200")), 400, "clinicId");
    assertThat(document(clinic).getString("tier")).isEqualTo("tier0300");
    assertThat(document(clinic).getLong("revision")).isEqualTo(revision + 1);
  }

  @Test
  void suppressedNotificationsAreSetByAdminsOrServices() {
    Person admin = person("Quiet Admin");
    Person member = person("Quiet Member");
    JsonObject clinic = createClinic(admin, "Quiet");
    addMember(clinic.getString("id"), member, "CLINIC_MEMBER");

    noContent200(call(HttpMethod.POST, uri(clinic, "/suppressed_notifications"), admin.token(),
        new JsonObject().put("suppressedNotifications", new JsonObject().put("patientClinicInvitation", true))));
    assertThat(ok(get(uri(clinic, ""), member.token())).getJsonObject("suppressedNotifications"))
        .isEqualTo(new JsonObject().put("patientClinicInvitation", true));
    noContent200(call(HttpMethod.POST, uri(clinic, "/suppressed_notifications"), server,
        new JsonObject().put("suppressedNotifications", new JsonObject().put("patientClinicInvitation", false))));
    assertThat(ok(get(uri(clinic, ""), member.token())).getJsonObject("suppressedNotifications"))
        .isEqualTo(new JsonObject().put("patientClinicInvitation", false));

    assertError(call(HttpMethod.POST, uri(clinic, "/suppressed_notifications"), member.token(),
        new JsonObject().put("suppressedNotifications", new JsonObject())), 403, "");
    assertError(call(HttpMethod.POST, uri(clinic, "/suppressed_notifications"), admin.token(), new JsonObject()), 400,
        "suppressedNotifications");
    assertError(call(HttpMethod.POST, uri(clinic, "/suppressed_notifications"), admin.token(),
        new JsonObject().put("suppressedNotifications", new JsonObject().put("patientClinicInvitation", "yes"))), 400,
        "patientClinicInvitation");
    assertError(call(HttpMethod.POST, uri(clinic, "/suppressed_notifications"), admin.token(),
        new JsonObject().put("suppressedNotifications", new JsonObject().put("everything", true))), 400, "suppressedNotifications");
    assertError(call(HttpMethod.POST, "/v1/clinics/" + UNKNOWN_CLINIC + "/suppressed_notifications", server,
        new JsonObject().put("suppressedNotifications", new JsonObject())), 404, "");
    assertThat(document(clinic).getJsonObject("suppressedNotifications")).isEqualTo(new JsonObject().put("patientClinicInvitation", false));
  }

  @Test
  void membershipRestrictionsAreReplacedByServicesAndListedForAdmins() {
    Person admin = person("Restricting Admin");
    Person member = person("Restricted Member");
    JsonObject clinic = createClinic(admin, "Restricted");
    addMember(clinic.getString("id"), member, "CLINIC_MEMBER");
    assertThat(ok(get(uri(clinic, "/membership_restrictions"), admin.token()))).isEqualTo(new JsonObject().put("restrictions", new JsonArray()));

    JsonObject restrictions = new JsonObject().put("restrictions", new JsonArray()
        .add(new JsonObject().put("emailDomain", "example.org").put("requiredIdp", "corp-sso"))
        .add(new JsonObject().put("emailDomain", "clinic.example.com")));
    assertThat(ok(call(HttpMethod.PUT, uri(clinic, "/membership_restrictions"), server, restrictions))).isEqualTo(restrictions);
    assertThat(ok(get(uri(clinic, "/membership_restrictions"), admin.token()))).isEqualTo(restrictions);
    assertThat(ok(get(uri(clinic, "/membership_restrictions"), server))).isEqualTo(restrictions);

    assertError(call(HttpMethod.PUT, uri(clinic, "/membership_restrictions"), server, new JsonObject().put("restrictions",
        new JsonArray().add(new JsonObject().put("emailDomain", "not a host!")))), 400, "emailDomain");
    assertError(call(HttpMethod.PUT, uri(clinic, "/membership_restrictions"), server, new JsonObject().put("restrictions",
        new JsonArray().add(new JsonObject().put("requiredIdp", "corp-sso")))), 400, "emailDomain");
    assertError(call(HttpMethod.PUT, uri(clinic, "/membership_restrictions"), admin.token(), restrictions), 403, "");
    assertError(get(uri(clinic, "/membership_restrictions"), member.token()), 403, "");
    assertError(get("/v1/clinics/" + UNKNOWN_CLINIC + "/membership_restrictions", server), 404, "");
    assertThat(ok(get(uri(clinic, "/membership_restrictions"), admin.token()))).isEqualTo(restrictions);

    assertThat(ok(call(HttpMethod.PUT, uri(clinic, "/membership_restrictions"), server, new JsonObject())))
        .isEqualTo(new JsonObject().put("restrictions", new JsonArray()));
  }

  @Test
  void ehrSettingsAreReplacedByServicesAndReadByMembers() {
    Person admin = person("Ehr Admin");
    Person member = person("Ehr Member");
    JsonObject clinic = createClinic(admin, "Integrated");
    addMember(clinic.getString("id"), member, "CLINIC_MEMBER");
    assertError(get(uri(clinic, "/settings/ehr"), member.token()), 404, "EHR settings");

    JsonObject answered = ok(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, ehr()));
    JsonObject expected = ehr().put("notes", new JsonObject().put("includeGMI", false));
    assertThat(answered).isEqualTo(expected);
    assertThat(ok(get(uri(clinic, "/settings/ehr"), member.token()))).isEqualTo(expected);
    assertThat(okArray(get("/v1/clinics?ehrEnabled=true&limit=1000", server)).stream()
        .map(c -> ((JsonObject) c).getString("id"))).contains(clinic.getString("id"));

    // the note event type only counts with reports on upload; an unset cadence reads as 14d
    JsonObject noUpload = ehr().put("scheduledReports", new JsonObject().put("onUploadEnabled", false)
        .put("onUploadNoteEventType", "New").put("cadence", "DISABLED")).put("notes", new JsonObject().put("includeGMI", true));
    noUpload.remove("destinationIds");
    JsonObject stored = ok(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, noUpload));
    assertThat(stored.getJsonObject("scheduledReports")).isEqualTo(new JsonObject().put("onUploadEnabled", false).put("cadence", "DISABLED"));
    assertThat(stored.containsKey("destinationIds")).isFalse();
    assertThat(stored.getJsonObject("notes").getBoolean("includeGMI")).isTrue();
    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinic.getString("id"))),
        new JsonObject().put("$unset", new JsonObject().put("ehrSettings.scheduledReports.cadence", "").put("ehrSettings.mrnIdType", ""))).await();
    JsonObject defaults = ok(get(uri(clinic, "/settings/ehr"), server));
    assertThat(defaults.getJsonObject("scheduledReports").getString("cadence")).isEqualTo("14d");
    assertThat(defaults.getString("mrnIdType")).isEqualTo("MRN");
    JsonObject before = document(clinic).getJsonObject("ehrSettings");

    JsonObject noSource = ehr();
    noSource.remove("sourceId");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, noSource), 400, "sourceId");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, ehr().put("provider", "epic")), 400, "provider");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, ehr().put("mrnIdType", "")), 400, "mrnIdType");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, ehr().put("scheduledReports",
        new JsonObject().put("onUploadEnabled", true).put("cadence", "2d"))), 400, "cadence");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, ehr().put("destinationIds",
        new JsonObject().put("flowsheet", "f").put("results", "r"))), 400, "notes");
    JsonObject noFlowsheets = ehr();
    noFlowsheets.remove("flowsheets");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, noFlowsheets), 400, "flowsheets");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, ehr().put("sourceId", "s".repeat(201))), 400, "sourceId");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), admin.token(), ehr()), 403, "");
    assertError(get(uri(clinic, "/settings/ehr"), person("Outsider").token()), 403, "");
    assertError(call(HttpMethod.PUT, "/v1/clinics/" + UNKNOWN_CLINIC + "/settings/ehr", server, ehr()), 404, "");
    assertThat(document(clinic).getJsonObject("ehrSettings")).isEqualTo(before);
  }

  @Test
  void mrnSettingsAreReplacedByServicesAndReadByMembers() {
    Person admin = person("Mrn Admin");
    JsonObject clinic = createClinic(admin, "Numbered");
    assertError(get(uri(clinic, "/settings/mrn"), admin.token()), 404, "MRN settings");

    JsonObject settings = new JsonObject().put("required", true).put("unique", false);
    assertThat(ok(call(HttpMethod.PUT, uri(clinic, "/settings/mrn"), server, settings))).isEqualTo(settings);
    assertThat(ok(get(uri(clinic, "/settings/mrn"), admin.token()))).isEqualTo(settings);

    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/mrn"), server, new JsonObject().put("required", true)), 400, "unique");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/mrn"), server, new JsonObject().put("required", "yes").put("unique", true)),
        400, "required");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/mrn"), admin.token(), settings), 403, "");
    assertError(call(HttpMethod.PUT, "/v1/clinics/" + UNKNOWN_CLINIC + "/settings/mrn", server, settings), 404, "");
    assertThat(document(clinic).getJsonObject("mrnSettings")).isEqualTo(settings);
  }

  @Test
  void patientCountSettingsHaveTheDefaultHardLimitAndRefuseAWindowThatEndsBeforeItStarts() {
    Person admin = person("Count Admin");
    JsonObject clinic = createClinic(admin, "Counted");
    assertThat(ok(get(uri(clinic, "/settings/patient_count"), admin.token())))
        .isEqualTo(new JsonObject().put("hardLimit", new JsonObject().put("plan", 250)));

    JsonObject settings = new JsonObject()
        .put("hardLimit", new JsonObject().put("plan", 100).put("startDate", "2026-01-01T00:00:00Z").put("endDate", "2027-01-01T00:00:00Z"))
        .put("softLimit", new JsonObject().put("plan", 80));
    assertThat(ok(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), server, settings))).isEqualTo(settings);
    assertThat(ok(get(uri(clinic, "/settings/patient_count"), server))).isEqualTo(settings);
    assertThat(document(clinic).getJsonObject("patientCountSettings").getJsonObject("hardLimit").getValue("startDate"))
        .as("stored as a BSON date").isInstanceOf(JsonObject.class);

    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), server, new JsonObject().put("hardLimit",
        new JsonObject().put("plan", 10).put("startDate", "2027-01-01T00:00:00Z").put("endDate", "2026-01-01T00:00:00Z"))), 400, "startDate");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), server, new JsonObject().put("softLimit",
        new JsonObject().put("plan", -1))), 400, "plan");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), server, new JsonObject().put("hardLimit",
        new JsonObject().put("plan", Long.MAX_VALUE))), 400, "plan");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), server, new JsonObject().put("hardLimit",
        new JsonObject().put("startDate", "2026-01-01T00:00:00Z"))), 400, "plan");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), server, new JsonObject().put("hardLimit",
        new JsonObject().put("plan", 1).put("endDate", "soon"))), 400, "endDate");
    assertError(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), admin.token(), settings), 403, "");
    assertError(call(HttpMethod.PUT, "/v1/clinics/" + UNKNOWN_CLINIC + "/settings/patient_count", server, settings), 404, "");
    assertThat(ok(get(uri(clinic, "/settings/patient_count"), server))).isEqualTo(settings);

    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinic.getString("id"))),
        new JsonObject().put("$unset", new JsonObject().put("patientCountSettings", ""))).await();
    assertError(get(uri(clinic, "/settings/patient_count"), admin.token()), 404, "patient count settings");
  }

  @Test
  void thePatientCountIsTheClinicsCachedOne() {
    Person admin = person("Census Admin");
    JsonObject clinic = createClinic(admin, "Census");
    assertThat(ok(get(uri(clinic, "/patient_count"), admin.token())))
        .isEqualTo(new JsonObject().put("total", 1).put("demo", 1).put("plan", 0));

    JsonObject cached = new JsonObject().put("total", 7).put("demo", 1).put("plan", 5)
        .put("providers", new JsonObject().put("dexcom", new JsonObject().put("total", 2)
            .put("states", new JsonObject().put("connected", 1).put("pending", 1))));
    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinic.getString("id"))),
        new JsonObject().put("$set", new JsonObject().put("patientCount", cached))).await();
    assertThat(ok(get(uri(clinic, "/patient_count"), server))).isEqualTo(cached);

    assertError(get(uri(clinic, "/patient_count"), person("Not A Member").token()), 403, "");
    assertError(get("/v1/clinics/" + UNKNOWN_CLINIC + "/patient_count", server), 404, "");
  }

  @Test
  void settingsSurviveAProfileUpdate() {
    Person admin = person("Keeping Admin");
    JsonObject clinic = createClinic(admin, "Keeping");
    noContent200(call(HttpMethod.POST, uri(clinic, "/tier"), server, new JsonObject().put("tier", "tier0200")));
    ok(call(HttpMethod.PUT, uri(clinic, "/settings/ehr"), server, ehr()));
    ok(call(HttpMethod.PUT, uri(clinic, "/settings/mrn"), server, new JsonObject().put("required", false).put("unique", true)));
    JsonObject limits = new JsonObject().put("hardLimit", new JsonObject().put("plan", 42));
    ok(call(HttpMethod.PUT, uri(clinic, "/settings/patient_count"), server, limits));

    JsonObject updated = ok(call(HttpMethod.PUT, uri(clinic, ""), admin.token(),
        new JsonObject().put("name", "Keeping Renamed").put("preferredBgUnits", "mmol/L").put("country", "US")));

    assertThat(updated.getString("tier")).isEqualTo("tier0200");
    assertThat(updated.getString("tierDescription")).isEqualTo("Standard");
    assertThat(ok(get(uri(clinic, "/settings/patient_count"), server))).isEqualTo(limits);
    assertThat(ok(get(uri(clinic, "/settings/mrn"), server)).getBoolean("unique")).isTrue();
    assertThat(ok(get(uri(clinic, "/settings/ehr"), server)).getString("sourceId")).isEqualTo("source-1");
    assertThat(List.of(document(clinic).getString("name"))).containsExactly("Keeping Renamed");
  }
}
