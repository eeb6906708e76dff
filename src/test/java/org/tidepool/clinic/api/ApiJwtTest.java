package org.tidepool.clinic.api;

import org.tidepool.clinic.common.AppState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.testing.HttpAssertions.assertError;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.api.auth.TestTokens;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The HTTP edge in jwt mode, on the running service (api + store on the shared MongoDB): who
 * gets in, what malformed requests get back, query decoding, readiness. The operations
 * themselves are tested in {@code org.tidepool.clinic.http}.
 */
@ExtendWith(TestStackExtension.class)
class ApiJwtTest {
  static final String ANN = "abcdef0123";
  static final String ANN_EMAIL = "ann+clinic@example.org";
  static final String BOB = "0123456789";
  static final long BODY_LIMIT = 4096;

  static TestStack stack;
  static String annToken;
  static String bobToken;
  static String clinicId;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store").put("HTTP_BODY_LIMIT_BYTES", BODY_LIMIT));
    annToken = stack.userToken(ANN, ANN_EMAIL, "Ann Smith");
    bobToken = stack.userToken(BOB, "bob@example.org", "Bob Jones");
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/v1/clinics", annToken, clinic("Sunrise Clinic"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    clinicId = created.bodyAsJsonObject().getString("id");
  }

  static JsonObject clinic(String name) {
    return new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL");
  }

  static HttpResponse<Buffer> send(HttpMethod method, String uri, String token, Object body) {
    HttpRequest<Buffer> request = stack.http().request(method, uri);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (body == null) {
      return request.send().await();
    }
    return body instanceof Buffer raw
        ? request.putHeader("Content-Type", "application/json").sendBuffer(raw).await()
        : request.sendJson(body).await();
  }

  static HttpResponse<Buffer> get(String uri, String token) {
    return send(HttpMethod.GET, uri, token, null);
  }

  static long clinicsNamed(String name) {
    return stack.clinicDb().count("clinics", new JsonObject().put("name", name)).await();
  }

  @Test
  void theServiceIsReady() {
    HttpResponse<Buffer> ready = get("/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "ready"));
  }

  @Test
  void missingMalformedForgedOrExpiredTokensAre401() {
    String clinicUri = "/v1/clinics/" + clinicId;
    String forged = TestTokens.withSecret(stack.vertx(), "not the service key").user(ANN, ANN_EMAIL, "Ann Smith");
    long anHourAgo = System.currentTimeMillis() / 1000 - 3600;
    String expired = TestTokens.provider(TestTokens.withSecret(stack.vertx(), TestStack.JWT_SECRET)).generateToken(
        new JsonObject().put("sub", ANN).put("exp", anHourAgo), new JWTOptions().setAlgorithm("HS256"));

    assertError(get(clinicUri, null), 401, "missing credentials");
    assertError(get(clinicUri, "not-a-jwt"), 401, "invalid token");
    assertError(get(clinicUri, forged), 401, "invalid token");
    assertError(get(clinicUri, expired), 401, "invalid token");
    String numericSubject = TestTokens.provider(TestTokens.withSecret(stack.vertx(), TestStack.JWT_SECRET)).generateToken(
        new JsonObject().put("sub", 12345).put("email", new JsonArray().add("x@example.org")), new JWTOptions().setAlgorithm("HS256"));
    assertError(get(clinicUri, numericSubject), 401, "must be strings");
  }

  @Test
  void everyOperationOfTheContractWithoutCredentialsIs401AlsoWithATrailingSlash() {
    OpenAPIContract contract = OpenAPIContract.from(stack.vertx(), ApiVerticle.CONTRACT).await();
    Map<String, String> pathValues = Map.of("clinicId", clinicId, "clinicianId", ANN, "userId", ANN,
        "inviteId", "invite-1", "shareCode", "AAAA-BBBB-CCCC");
    long clinicsBefore = stack.clinicDb().count("clinics", new JsonObject()).await();
    for (Operation operation : contract.operations()) {
      String uri = operation.getOpenAPIPath();
      for (Map.Entry<String, String> value : pathValues.entrySet()) {
        uri = uri.replace("{" + value.getKey() + "}", value.getValue());
      }
      for (String variant : List.of(uri, uri + "/")) {
        HttpResponse<Buffer> response = send(operation.getHttpMethod(), variant, null, clinic("Anonymous Clinic"));
        assertThat(response.statusCode()).as(operation.getHttpMethod() + " " + variant + ": " + response.bodyAsString()).isEqualTo(401);
        assertError(response, 401, "missing credentials");
      }
    }
    assertThat(stack.clinicDb().count("clinics", new JsonObject()).await()).isEqualTo(clinicsBefore);
  }

  @Test
  void authenticationComesBeforeValidationAndNothingIsWritten() {
    assertError(send(HttpMethod.POST, "/v1/clinics", null, new JsonObject().put("name", "Anonymous Clinic")), 401, "missing credentials");
    assertError(send(HttpMethod.POST, "/v1/clinics", null, clinic("Anonymous Clinic")), 401, "missing credentials");
    assertThat(clinicsNamed("Anonymous Clinic")).isZero();
  }

  @Test
  void clientsWrittenForTidepoolMaySendTheJwtAsSessionToken() {
    HttpResponse<Buffer> response = stack.http().get("/v1/clinics/" + clinicId + "/clinicians/" + ANN)
        .putHeader("x-tidepool-session-token", annToken).send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("id")).isEqualTo(ANN);
  }

  @Test
  void usersSeenInTokensAreRememberedWithTheirEmailAndName() {
    String carol = "c0ffee0123";
    assertThat(get("/v1/clinics/" + clinicId, stack.userToken(carol, "carol@example.org", "Carol Diaz")).statusCode()).isEqualTo(200);
    JsonObject user = stack.platformDb().findOne("users", new JsonObject().put("_id", carol), null).await();
    assertThat(user.getString("email")).isEqualTo("carol@example.org");
    assertThat(user.getString("fullName")).isEqualTo("Carol Diaz");
  }

  @Test
  void aForbiddenOperationIs403NamingItAndChangesNothing() {
    assertError(get("/v1/clinics", annToken), 403, "ListClinics");
    assertError(get("/v1/clinics/" + clinicId + "/clinicians", bobToken), 403, "ListClinicians");
    assertError(send(HttpMethod.PUT, "/v1/clinics/" + clinicId, bobToken, clinic("Taken Over")), 403, "UpdateClinic");
    assertThat(clinicsNamed("Taken Over")).isZero();
  }

  @Test
  void aBadBodyIs400NamingTheProblemAndNothingIsWritten() {
    assertError(send(HttpMethod.POST, "/v1/clinics", bobToken, clinic("")), 400, "body/name");
    assertError(send(HttpMethod.POST, "/v1/clinics", bobToken, new JsonObject().put("name", "Half Clinic")), 400, "preferredBgUnits");
    assertError(send(HttpMethod.POST, "/v1/clinics", bobToken, Buffer.buffer("{\"name\": ")), 400, "body");
    assertError(send(HttpMethod.POST, "/v1/clinics", bobToken, null), 400, "body");
    HttpResponse<Buffer> plainText = stack.http().post("/v1/clinics").bearerTokenAuthentication(bobToken)
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("name=Half Clinic")).await();
    assertError(plainText, 400, "format of the request body");
    assertThat(stack.clinicDb().count("clinicians", new JsonObject().put("userId", BOB)).await()).isZero();
    assertThat(clinicsNamed("Half Clinic")).isZero();
  }

  @Test
  void aBadParameterIs400NamingIt() {
    assertError(get("/v1/clinics?limit=0", stack.serverToken()), 400, "limit");
    assertError(get("/v1/clinics/not-an-id", annToken), 400, "clinicId");
    assertError(get("/v1/clinics/" + clinicId + "/clinicians?email=ann", annToken), 400, "email");
  }

  @Test
  void aMalformedPercentEncodingIs400SayingSo() {
    assertError(get("/v1/clinics/" + clinicId + "/clinicians?search=%zz", annToken), 400, "percent-encoding");
    assertError(get("/v1/clinics/share_code/AB%2", annToken), 400, "percent-encoding");
  }

  @Test
  void aBodyOverTheLimitIs413AndNothingIsWritten() {
    String name = "x".repeat((int) BODY_LIMIT + 1);
    assertError(send(HttpMethod.POST, "/v1/clinics", annToken, clinic(name)), 413, "too large");
    assertThat(clinicsNamed(name)).isZero();
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrors() {
    assertError(get("/v1/nothing-here", annToken), 404, "not found");
    assertError(send(HttpMethod.PATCH, "/v1/clinics", annToken, null), 405, "method not allowed");
  }

  @Test
  void queryValuesAreDecodedOnceSoAPlusInAnEmailIsKept() {
    String clinicians = "/v1/clinics/" + clinicId + "/clinicians";
    JsonArray byEmail = okArray(get(clinicians + "?email=ann%2Bclinic%40example.org", annToken));
    assertThat(byEmail.stream().map(c -> ((JsonObject) c).getString("email"))).containsExactly(ANN_EMAIL);
    JsonArray bySearch = okArray(get(clinicians + "?search=ann%2Bclinic", annToken));
    assertThat(bySearch.stream().map(c -> ((JsonObject) c).getString("id"))).containsExactly(ANN);
    // a literal '+' in a query is a space: "ann clinic" is in no name or email
    assertThat(okArray(get(clinicians + "?search=ann+clinic", annToken))).isEmpty();
    assertThat(okArray(get(clinicians + "?search=100%25", annToken))).isEmpty();
  }

  @Test
  void aPlusInAPathSegmentIsAPlus() {
    String invites = "/v1/clinics/" + clinicId + "/invites/clinicians/";
    JsonObject invite = new JsonObject().put("inviteId", "key+1 2").put("email", "plus@example.org")
        .put("roles", new JsonArray().add("CLINIC_MEMBER"));
    assertThat(send(HttpMethod.POST, "/v1/clinics/" + clinicId + "/clinicians", stack.serverToken(), invite).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> found = get(invites + "key+1%202/clinician", stack.serverToken());

    assertThat(found.statusCode()).as(found.bodyAsString()).isEqualTo(200);
    assertThat(found.bodyAsJsonObject().getString("inviteId")).isEqualTo("key+1 2");
  }

  @Test
  void withoutTheStoreTheServiceIsNotReadyAndOperationsAre503(TestStacks stacks) {
    try (TestStack apiOnly = stacks.start(new JsonObject().put("ROLES", "api"))) {
      assertError(apiOnly.http().get("/ready").send().await(), 503, "the store does not answer");
      // as while the application is still deploying its verticles
      apiOnly.vertx().sharedData().getLocalMap(AppState.MAP).put(AppState.DEPLOYED, false);
      assertError(apiOnly.http().get("/ready").send().await(), 503, "the service is starting");
      HttpResponse<Buffer> operation = apiOnly.http().get("/v1/clinics/" + clinicId)
          .bearerTokenAuthentication(apiOnly.userToken(ANN, ANN_EMAIL, "Ann Smith")).send().await();
      assertError(operation, 503, "service unavailable");
    }
  }

  static JsonArray okArray(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonArray();
  }
}
