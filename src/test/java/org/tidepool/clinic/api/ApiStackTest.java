package org.tidepool.clinic.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.testing.TestStack;

/** Authentication and authorisation over HTTP against the running service (api + store). */
class ApiStackTest {
  static final String ANN = "abcdef0123";
  static final String BOB = "0123456789";

  static TestStack stack;
  static String annToken;
  static String bobToken;
  static String clinicId;

  @BeforeAll
  static void start() {
    stack = TestStack.start(new JsonObject().put("ROLES", "api,store"));
    annToken = stack.userToken(ANN, "ann@example.org", "Ann Smith");
    bobToken = stack.userToken(BOB, "bob@example.org", "Bob Jones");
    HttpResponse<Buffer> created = as(annToken, stack.http().post("/v1/clinics"))
        .sendJson(new JsonObject().put("name", "Sunrise Clinic").put("preferredBgUnits", "mg/dL")).await();
    assertEquals(200, created.statusCode(), created.bodyAsString());
    clinicId = created.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static HttpRequest<Buffer> as(String token, HttpRequest<Buffer> request) {
    return token == null ? request : request.bearerTokenAuthentication(token);
  }

  static HttpResponse<Buffer> get(String uri, String token) {
    return as(token, stack.http().get(uri)).send().await();
  }

  static void assertError(HttpResponse<Buffer> response, int status, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject();
    assertEquals(status, error.getInteger("code"));
    assertTrue(error.getString("message").contains(messagePart), error.getString("message"));
  }

  @Test
  void theServiceIsReady() {
    assertEquals(new JsonObject().put("status", "ready"), get("/ready", null).bodyAsJsonObject());
  }

  @Test
  void noTokenIs401() {
    assertError(get("/v1/clinics/" + clinicId, null), 401, "missing credentials");
  }

  @Test
  void aForgedTokenIs401() {
    String forged = org.tidepool.clinic.api.auth.TestTokens.withSecret(stack.vertx(), "not the service key").user(ANN, null, null);
    assertError(get("/v1/clinics/" + clinicId, forged), 401, "invalid token");
  }

  @Test
  void theCreatorIsTheFirstAdminWithTheNameFromTheToken() {
    HttpResponse<Buffer> members = get("/v1/clinics/" + clinicId + "/clinicians", annToken);
    assertEquals(200, members.statusCode(), members.bodyAsString());
    JsonObject ann = members.bodyAsJsonArray().getJsonObject(0);
    assertEquals(ANN, ann.getString("id"));
    assertEquals("Ann Smith", ann.getString("name"));
    assertEquals(new JsonArray().add("CLINIC_ADMIN"), ann.getJsonArray("roles"));
  }

  @Test
  void anyUserReadsAClinicButOnlyMembersSeeItsClinicians() {
    assertEquals(200, get("/v1/clinics/" + clinicId, bobToken).statusCode());
    assertError(get("/v1/clinics/" + clinicId + "/clinicians", bobToken), 403, "ListClinicians");
    assertError(get("/v1/clinics/" + clinicId + "/clinicians/" + ANN, bobToken), 403, "GetClinician");
  }

  @Test
  void onlyAdminsOrServersChangeAClinic() {
    JsonObject rename = new JsonObject().put("name", "Renamed").put("preferredBgUnits", "mg/dL");
    assertError(as(bobToken, stack.http().put("/v1/clinics/" + clinicId)).sendJson(rename).await(), 403, "UpdateClinic");
    assertError(as(bobToken, stack.http().delete("/v1/clinics/" + clinicId)).send().await(), 403, "DeleteClinic");
    assertEquals("Sunrise Clinic", get("/v1/clinics/" + clinicId, annToken).bodyAsJsonObject().getString("name"));
  }

  @Test
  void usersSeeOnlyTheirOwnClinicList() {
    assertEquals(1, get("/v1/clinicians/" + ANN + "/clinics", annToken).bodyAsJsonArray().size());
    assertError(get("/v1/clinicians/" + ANN + "/clinics", bobToken), 403, "ListClinicsForClinician");
  }

  @Test
  void internalListsAreForServersOnly() {
    assertError(get("/v1/clinics", annToken), 403, "ListClinics");
    assertError(get("/v1/clinicians", annToken), 403, "ListAllClinicians");
    assertEquals(200, get("/v1/clinics", stack.serverToken()).statusCode());
    HttpResponse<Buffer> all = get("/v1/clinicians", stack.serverToken());
    assertEquals(200, all.statusCode());
    assertTrue(all.bodyAsJsonArray().size() >= 1);
  }
}
