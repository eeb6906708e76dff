package org.tidepool.clinic.api;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * What the running service answers is what the contract declares: every operation, its
 * successes and its failures, checked with the contract's response validator (status code
 * listed for the operation, body of the declared schema).
 */
@ExtendWith(TestStackExtension.class)
class ResponsesFollowTheContractTest {
  static final String ANN = "a0a0a0a0a0";
  static final String BOB = "b0b0b0b0b0";
  static final String UNKNOWN_CLINIC = "0123456789abcdef01234567";

  static WireMockServer tokenEndpoint;
  static TestStack stack;
  static DeclaredResponses declared;
  static String ann;
  static String bob;
  static String server;

  @BeforeAll
  static void start(TestStacks stacks) {
    tokenEndpoint = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    tokenEndpoint.start();
    String claims = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"sub\":\"c0c0c0c0c0\"}".getBytes(StandardCharsets.UTF_8));
    tokenEndpoint.stubFor(post(urlEqualTo("/token")).willReturn(okJson("{\"id_token\":\"e30." + claims + ".sig\"}")));
    stack = stacks.start(new JsonObject().put("ROLES", "api,store")
        .put("TIDEPOOL_AUTH_SERVICE_TOKEN_ENDPOINT", tokenEndpoint.baseUrl() + "/token"));
    declared = new DeclaredResponses(stack.vertx());
    ann = stack.userToken(ANN, "ann@example.org", "Ann Smith");
    bob = stack.userToken(BOB, "bob@example.org", "Bob Jones");
    server = stack.serverToken();
  }

  @AfterAll
  static void stop() {
    tokenEndpoint.stop();
  }

  /** Sends the request and checks the response against the operation the contract has for it. */
  static HttpResponse<Buffer> call(HttpMethod method, String uri, String token, JsonObject body) {
    HttpRequest<Buffer> request = stack.http().request(method, uri);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return declared.check(method, uri, (body == null ? request.send() : request.sendJson(body)).await());
  }

  /** A legacy clinic account (shoreline role {@code clinic}) in the embedded user directory; its token. */
  private static String legacyAccount(String userId, String email, String name) {
    stack.platformDb().save("users", new JsonObject().put("_id", userId).put("email", email).put("fullName", name)
        .put("roles", new JsonArray().add("clinic"))).await();
    return stack.userToken(userId, email, name);
  }

  /** The legacy-clinic migrations: Cy's clinic from enabling to its migration's progress, and Dee's migration after. */
  private void migrationOperations() {
    String cyId = "c1c1c1c1c1";
    String cy = legacyAccount(cyId, "cy.legacy@example.org", "Cy Legacy");
    JsonObject clinic = ok(call(HttpMethod.POST, "/v1/clinicians/" + cyId + "/migrate", server, null));
    status(call(HttpMethod.POST, "/v1/clinicians/0000000000/migrate", server, null), 404);
    status(call(HttpMethod.POST, "/v1/clinicians/" + BOB + "/migrate", server, null), 422);
    String clinicUri = "/v1/clinics/" + clinic.getString("id");
    status(call(HttpMethod.POST, clinicUri + "/migrate", cy, new JsonObject()), 422);
    ok(call(HttpMethod.PUT, clinicUri, cy, new JsonObject().put("name", "Cy's Practice").put("address", "1 Main St")
        .put("city", "Springfield").put("state", "CA").put("postalCode", "90000").put("country", "US")
        .put("clinicType", "provider_practice").put("preferredBgUnits", "mg/dL")));
    ok(call(HttpMethod.POST, clinicUri + "/migrate", cy, new JsonObject().put("attestationSubmitted", true)));
    status(call(HttpMethod.POST, clinicUri + "/migrate", cy, new JsonObject()), 422);
    status(call(HttpMethod.GET, clinicUri + "/migrations", cy, null), 200);
    ok(call(HttpMethod.GET, clinicUri + "/migrations/" + cyId, cy, null));
    status(call(HttpMethod.GET, clinicUri + "/migrations/0000000000", server, null), 404);
    ok(call(HttpMethod.PATCH, clinicUri + "/migrations/" + cyId, server, new JsonObject().put("status", "RUNNING")
        .put("progress", new JsonObject().put("patientsTotal", 1).put("patientsMigrated", 0).put("patientsSkipped", 0))));
    ok(call(HttpMethod.PATCH, clinicUri + "/migrations/" + cyId, server, new JsonObject().put("status", "FAILED")
        .put("failureReason", "stopped by the test")));
    status(call(HttpMethod.PATCH, clinicUri + "/migrations/" + cyId, server, new JsonObject().put("status", "RUNNING")), 409);

    String deeId = "d1d1d1d1d1";
    legacyAccount(deeId, "dee.legacy@example.org", "Dee Legacy");
    ok(call(HttpMethod.POST, clinicUri + "/clinicians", server, invite("invite-dee", "dee.legacy@example.org", "CLINIC_MEMBER")));
    ok(call(HttpMethod.PATCH, clinicUri + "/invites/clinicians/invite-dee/clinician", server, new JsonObject().put("userId", deeId)));
    status(call(HttpMethod.POST, clinicUri + "/migrations", server, new JsonObject().put("userId", deeId)), 202);
    status(call(HttpMethod.POST, clinicUri + "/migrations", server, new JsonObject().put("userId", deeId)), 409);
    status(call(HttpMethod.POST, "/v1/clinics/" + UNKNOWN_CLINIC + "/migrations", server, new JsonObject().put("userId", deeId)), 404);
  }

  static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static void status(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
  }

  static JsonObject invite(String inviteId, String email, String role) {
    return new JsonObject().put("inviteId", inviteId).put("email", email).put("roles", new JsonArray().add(role));
  }

  @Test
  void everyOperationAnswersAsDeclared() {
    JsonObject clinic = ok(call(HttpMethod.POST, "/v1/clinics", ann, new JsonObject().put("name", "Lake Clinic").put("preferredBgUnits", "mg/dL")));
    String clinicUri = "/v1/clinics/" + clinic.getString("id");
    ok(call(HttpMethod.GET, clinicUri, ann, null));
    ok(call(HttpMethod.GET, "/v1/clinics/share_code/" + clinic.getString("shareCode"), bob, null));
    ok(call(HttpMethod.PUT, clinicUri, ann, new JsonObject().put("name", "Lake Clinic East").put("preferredBgUnits", "mmol/L")
        .put("phoneNumbers", new JsonArray().add(new JsonObject().put("type", "main").put("number", "555-0100")))));
    status(call(HttpMethod.GET, "/v1/clinics?limit=5", server, null), 200);

    ok(call(HttpMethod.POST, clinicUri + "/clinicians", server, invite("invite-bob", "bob@example.org", "CLINIC_MEMBER")));
    ok(call(HttpMethod.GET, clinicUri + "/invites/clinicians/invite-bob/clinician", server, null));
    status(call(HttpMethod.GET, "/v1/clinicians/" + BOB + "/clinics", bob, null), 200);
    ok(call(HttpMethod.PATCH, clinicUri + "/invites/clinicians/invite-bob/clinician", server, new JsonObject().put("userId", BOB)));
    status(call(HttpMethod.GET, clinicUri + "/clinicians", bob, null), 200);
    ok(call(HttpMethod.GET, clinicUri + "/clinicians/" + BOB, bob, null));
    ok(call(HttpMethod.PUT, clinicUri + "/clinicians/" + BOB, ann,
        new JsonObject().put("email", "bob@example.org").put("name", "Bob J.").put("roles", new JsonArray().add("CLINIC_ADMIN"))));
    status(call(HttpMethod.GET, "/v1/clinicians?limit=100", server, null), 200);
    ok(call(HttpMethod.POST, clinicUri + "/service_accounts", server,
        new JsonObject().put("name", "Reporting").put("client_id", "reporting").put("client_secret", "secret")));
    ok(call(HttpMethod.POST, clinicUri + "/clinicians", server, invite("invite-cy", "cy@example.org", "CLINIC_MEMBER")));
    status(call(HttpMethod.DELETE, clinicUri + "/invites/clinicians/invite-cy/clinician", server, null), 200);
    status(call(HttpMethod.DELETE, clinicUri + "/clinicians/" + BOB, bob, null), 200);
    patientOperations(clinicUri);
    clinicSettings(clinicUri);
    patientGroups(clinicUri);
    status(call(HttpMethod.DELETE, clinicUri, ann, null), 204);
    migrationOperations();

    assertThat(declared.checkedOperations()).containsAll(declared.allOperations());
  }

  /** Every patient operation once; the clinic has no real patient afterwards. */
  private static void patientOperations(String clinicUri) {
    JsonObject custodial = ok(call(HttpMethod.POST, clinicUri + "/patients", ann, new JsonObject().put("fullName", "Kid Lake")
        .put("birthDate", "2015-02-03").put("email", "kid@example.org").put("mrn", "K1")
        .put("glycemicRanges", new JsonObject().put("type", "preset").put("preset", "adaStandard"))));
    String kid = clinicUri + "/patients/" + custodial.getString("id");
    ok(call(HttpMethod.GET, kid, ann, null));
    // patient list, TIDE report and summaries (issue 8)
    JsonObject summary = new JsonObject().put("cgmStats", new JsonObject().put("id", "0a0a0a0a0a0a")
        .put("dates", new JsonObject().put("hasLastData", true).put("lastData", "2026-11-30T10:00:00Z"))
        .put("periods", new JsonObject().put("14d", new JsonObject().put("hasTimeInTargetPercent", true).put("timeInTargetPercent", 0.5))));
    status(call(HttpMethod.POST, "/v1/patients/" + custodial.getString("id") + "/summary", server, summary), 200);
    status(call(HttpMethod.POST, "/v1/patients/" + custodial.getString("id") + "/summary", server, summary), 204);
    ok(call(HttpMethod.GET, clinicUri + "/patients?sort=-timeInTargetPercent&sortType=cgm&limit=5", ann, null));
    ok(call(HttpMethod.GET, clinicUri + "/tide_report?period=14d&tags=0123456789abcdef01234567&lastDataCutoff=2026-11-01T00:00:00Z", ann, null));
    status(call(HttpMethod.DELETE, "/v1/summaries/0a0a0a0a0a0a/clinics", server, null), 200);
    ok(call(HttpMethod.PUT, kid, ann, new JsonObject().put("fullName", "Kid Lake").put("birthDate", "2015-02-03")
        .put("email", "kid@example.org").put("diagnosisType", "type1")));
    status(call(HttpMethod.PUT, kid + "/reviews", ann, null), 200);
    status(call(HttpMethod.DELETE, kid + "/reviews", ann, null), 200);
    ok(call(HttpMethod.POST, kid + "/upload_reminder", ann, null));
    status(call(HttpMethod.POST, kid + "/connect/dexcom", ann, null), 204);
    status(call(HttpMethod.POST, clinicUri + "/patient_count/refresh", server, null), 200);
    status(call(HttpMethod.GET, "/v1/patients?mrn=K1", ann, null), 200);
    status(call(HttpMethod.DELETE, kid + "/permissions/custodian", server, null), 204);
    status(call(HttpMethod.DELETE, kid, ann, null), 204);

    String bobAsPatient = clinicUri + "/patients/" + BOB;
    ok(call(HttpMethod.POST, bobAsPatient, server, new JsonObject().put("birthDate", "1980-01-01")
        .put("permissions", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()))));
    status(call(HttpMethod.GET, "/v1/patients/" + BOB + "/clinics", bob, null), 200);
    status(declared.check(HttpMethod.PUT, "/v1/patients/" + BOB + "/data_sources", stack.http()
        .request(HttpMethod.PUT, "/v1/patients/" + BOB + "/data_sources").bearerTokenAuthentication(server)
        .sendJson(new JsonArray().add(new JsonObject().put("providerName", "dexcom").put("state", "connected"))).await()), 200);
    ok(call(HttpMethod.PUT, bobAsPatient + "/permissions", bob, new JsonObject().put("view", new JsonObject())));
    status(call(HttpMethod.PUT, bobAsPatient + "/permissions", bob, new JsonObject()), 204);
    ok(call(HttpMethod.POST, bobAsPatient, server, new JsonObject().put("birthDate", "1980-01-01")
        .put("permissions", new JsonObject().put("view", new JsonObject()))));
    status(call(HttpMethod.DELETE, bobAsPatient + "/permissions/view", bob, null), 204);
    ok(call(HttpMethod.POST, bobAsPatient, server, new JsonObject().put("birthDate", "1980-01-01")
        .put("permissions", new JsonObject().put("view", new JsonObject()))));
    status(call(HttpMethod.DELETE, "/v1/users/" + BOB + "/clinics", server, null), 200);
  }

  /** Every tag and site operation once, and the clinic with its counts and last deleted tag. */
  private static void patientGroups(String clinicUri) {
    String tag = ok(call(HttpMethod.POST, clinicUri + "/patient_tags", ann, new JsonObject().put("name", "Lake"))).getString("id");
    ok(call(HttpMethod.PUT, clinicUri + "/patient_tags/" + tag, ann, new JsonObject().put("name", "Lake East")));
    status(call(HttpMethod.POST, clinicUri + "/patients/assign_tag/" + tag, ann, null), 200);
    status(call(HttpMethod.POST, clinicUri + "/patients/delete_tag/" + tag, ann, null), 200);
    String site = ok(call(HttpMethod.POST, clinicUri + "/sites", ann, new JsonObject().put("name", "Shore"))).getString("id");
    String other = ok(call(HttpMethod.POST, clinicUri + "/sites", ann, new JsonObject().put("name", "Dock"))).getString("id");
    ok(call(HttpMethod.PUT, clinicUri + "/sites/" + site, ann, new JsonObject().put("name", "Shore North")));
    ok(call(HttpMethod.POST, clinicUri + "/sites/" + site + "/merge", server, new JsonObject().put("id", other)));
    ok(call(HttpMethod.POST, clinicUri + "/patient_tags/" + tag + "/site", server, null));
    status(call(HttpMethod.DELETE, clinicUri + "/sites/" + site, ann, null), 204);
    String gone = ok(call(HttpMethod.POST, clinicUri + "/patient_tags", ann, new JsonObject().put("name", "Gone"))).getString("id");
    status(call(HttpMethod.DELETE, clinicUri + "/patient_tags/" + gone, ann, null), 204);
    ok(call(HttpMethod.GET, clinicUri, ann, null));
    status(call(HttpMethod.POST, clinicUri + "/patient_tags", ann, new JsonObject().put("name", "dup")), 200);
    status(call(HttpMethod.POST, clinicUri + "/patient_tags", ann, new JsonObject().put("name", "DUP")), 409);
    status(call(HttpMethod.DELETE, clinicUri + "/sites/" + site, ann, null), 404);
  }

  private static void clinicSettings(String clinicUri) {
    status(call(HttpMethod.POST, clinicUri + "/tier", server, new JsonObject().put("tier", "tier0200")), 200);
    status(call(HttpMethod.POST, clinicUri + "/suppressed_notifications", ann,
        new JsonObject().put("suppressedNotifications", new JsonObject().put("patientClinicInvitation", true))), 200);
    ok(call(HttpMethod.GET, clinicUri, ann, null));
    JsonObject restrictions = new JsonObject().put("restrictions", new JsonArray().add(new JsonObject().put("emailDomain", "example.org")));
    ok(call(HttpMethod.PUT, clinicUri + "/membership_restrictions", server, restrictions));
    ok(call(HttpMethod.GET, clinicUri + "/membership_restrictions", ann, null));
    ok(call(HttpMethod.PUT, clinicUri + "/settings/ehr", server, new JsonObject()
        .put("enabled", true).put("sourceId", "s").put("provider", "xealth").put("mrnIdType", "MRN")
        .put("procedureCodes", new JsonObject().put("createAccount", "C"))
        .put("scheduledReports", new JsonObject().put("onUploadEnabled", false).put("cadence", "1d"))
        .put("tags", new JsonObject()).put("flowsheets", new JsonObject().put("icode", false))));
    ok(call(HttpMethod.GET, clinicUri + "/settings/ehr", ann, null));
    ok(call(HttpMethod.PUT, clinicUri + "/settings/mrn", server, new JsonObject().put("required", true).put("unique", true)));
    ok(call(HttpMethod.GET, clinicUri + "/settings/mrn", ann, null));
    ok(call(HttpMethod.GET, clinicUri + "/settings/patient_count", ann, null));
    ok(call(HttpMethod.PUT, clinicUri + "/settings/patient_count", server, new JsonObject()
        .put("hardLimit", new JsonObject().put("plan", 10).put("startDate", "2026-01-01T00:00:00Z"))));
    ok(call(HttpMethod.GET, clinicUri + "/patient_count", ann, null));
    status(call(HttpMethod.POST, "/v1/users/" + ANN + "/clinics", server, new JsonObject().put("email", "ann.smith@example.org")), 204);
  }

  @Test
  void failuresAnswerAsDeclared() {
    JsonObject clinic = ok(call(HttpMethod.POST, "/v1/clinics", ann, new JsonObject().put("name", "Hill Clinic").put("preferredBgUnits", "mg/dL")));
    String clinicUri = "/v1/clinics/" + clinic.getString("id");

    status(call(HttpMethod.GET, clinicUri, null, null), 401);
    status(call(HttpMethod.GET, "/v1/clinics", ann, null), 403);
    status(call(HttpMethod.GET, "/v1/clinics/" + UNKNOWN_CLINIC, ann, null), 404);
    status(call(HttpMethod.GET, "/v1/clinics/share_code/AAAA-BBBB-CCCC", ann, null), 404);
    status(call(HttpMethod.GET, clinicUri + "/settings/ehr", ann, null), 404);
    status(call(HttpMethod.PUT, clinicUri + "/settings/patient_count", server,
        new JsonObject().put("hardLimit", new JsonObject().put("plan", 1).put("startDate", "2027-01-01T00:00:00Z")
            .put("endDate", "2026-01-01T00:00:00Z"))), 400);
    status(call(HttpMethod.GET, clinicUri + "/clinicians?limit=0", ann, null), 400);
    status(call(HttpMethod.PUT, clinicUri + "/clinicians/" + ANN, ann,
        new JsonObject().put("email", "ann@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER"))), 422);
    ok(call(HttpMethod.POST, clinicUri + "/clinicians", server, invite("invite-dee", "dee@example.org", "CLINIC_MEMBER")));
    status(call(HttpMethod.POST, clinicUri + "/clinicians", server, invite("invite-dee", "dee@example.org", "CLINIC_MEMBER")), 409);
    status(call(HttpMethod.GET, clinicUri + "/invites/clinicians/no-such-invite/clinician", server, null), 404);

    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinic.getString("id"))),
        new JsonObject().put("$set", new JsonObject().put("isMigrated", false))).await();
    status(call(HttpMethod.DELETE, clinicUri + "/invites/clinicians/invite-dee/clinician", server, null), 422);
    status(call(HttpMethod.PATCH, clinicUri + "/invites/clinicians/invite-dee/clinician", server, new JsonObject().put("userId", BOB)), 422);
    status(call(HttpMethod.DELETE, clinicUri + "/clinicians/" + ANN, ann, null), 422);

    status(call(HttpMethod.POST, clinicUri + "/patients", ann, new JsonObject().put("fullName", "No Birth")), 400);
    status(call(HttpMethod.GET, clinicUri + "/patients/0123456789", ann, null), 404);
    stack.clinicDb().updateCollection("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinic.getString("id"))),
        new JsonObject().put("$set", new JsonObject().put("patientCountSettings",
            new JsonObject().put("hardLimit", new JsonObject().put("plan", 0))))).await();
    status(call(HttpMethod.POST, clinicUri + "/patients", ann, new JsonObject().put("fullName", "Over").put("birthDate", "2000-01-01")), 402);
    status(call(HttpMethod.DELETE, clinicUri + "/patients/0123456789/reviews", ann, null), 404);
  }
}
