package org.tidepool.clinic.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.api.auth.TestTokens;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.config.Settings;

/** The api verticle in jwt mode, over real HTTP, with a recording stand-in for the store. */
@ExtendWith(VertxExtension.class)
class ApiVerticleJwtTest {
  static final String CLINIC_ID = "0123456789abcdef01234567";
  static final String USER_ID = "abcdef0123";
  static final String OTHER_USER_ID = "0123456789";

  @TempDir static Path dataDir;
  static MongoServer mongoServer;
  static MongoClient platformDb;
  static RecordingStore store = new RecordingStore();
  static WebClient http;
  static DevTokens tokens;
  static Vertx vertx;

  @BeforeAll
  static void start(Vertx sharedVertx) {
    vertx = sharedVertx;
    mongoServer = new MongoServer(new MemoryBackend());
    int mongoPort = mongoServer.bind().getPort();
    JsonObject mongo = new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + mongoPort).put("db_name", "clinic");
    JsonObject config = new JsonObject()
        .put("HTTP_HOST", "127.0.0.1").put("HTTP_PORT", 0).put("DATA_DIR", dataDir.toString())
        .put("HTTP_BODY_LIMIT_BYTES", 4096).put("PLATFORM_DATABASE_NAME", "platform").put("mongo", mongo);
    store.start(vertx).await();
    vertx.deployVerticle(new ApiVerticle(), new DeploymentOptions().setConfig(config)).await();
    int port = (Integer) vertx.sharedData().getLocalMap(AppState.MAP).get(AppState.HTTP_PORT);
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    tokens = DevTokens.load(vertx, new Settings(config)).await();
    platformDb = MongoClient.create(vertx, mongo.copy().put("db_name", "platform"));
  }

  @AfterAll
  static void stop() {
    platformDb.close().await();
    mongoServer.shutdownNow();
  }

  @BeforeEach
  void reset() {
    store.reset();
    vertx.sharedData().getLocalMap(AppState.MAP).remove(AppState.DEPLOYED);
  }

  static String userToken() {
    return tokens.user(USER_ID, "ann@example.org", "Ann Smith");
  }

  static HttpResponse<Buffer> send(HttpMethod method, String uri, String token, Object body) {
    HttpRequest<Buffer> request = http.request(method, uri);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    Future<HttpResponse<Buffer>> response = body == null ? request.send()
        : body instanceof Buffer raw ? request.putHeader("Content-Type", "application/json").sendBuffer(raw)
        : request.sendJson(body);
    return response.await();
  }

  static void assertError(HttpResponse<Buffer> response, int status, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject error = response.bodyAsJsonObject();
    assertEquals(status, error.getInteger("code"));
    assertTrue(error.getString("message").contains(messagePart), "message was: " + error.getString("message"));
  }

  @Test
  void noCredentialsIs401AndNothingReachesTheStore() {
    assertError(send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, null, null), 401, "missing credentials");
    assertTrue(store.received.isEmpty());
  }

  @Test
  void aMalformedTokenIs401() {
    assertError(send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, "not-a-jwt", null), 401, "invalid token");
  }

  @Test
  void aTokenSignedWithAnotherKeyIs401() {
    String forged = TestTokens.withSecret(vertx, "some other secret").user(USER_ID, "ann@example.org", "Ann");
    assertError(send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, forged, null), 401, "invalid token");
  }

  @Test
  void anExpiredTokenIs401() {
    long anHourAgo = System.currentTimeMillis() / 1000 - 3600;
    String expired = TestTokens.provider(tokens).generateToken(
        new JsonObject().put("sub", USER_ID).put("exp", anHourAgo), new JWTOptions().setAlgorithm("HS256"));
    assertError(send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, expired, null), 401, "invalid token");
  }

  @Test
  void authenticationComesBeforeValidation() {
    assertError(send(HttpMethod.POST, "/v1/clinics", null, new JsonObject()), 401, "missing credentials");
  }

  @Test
  void aUserReadsAClinicThroughTheStoreWithTheDesignEnvelope() {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, userToken(), null);
    assertEquals(200, response.statusCode());
    JsonObject envelope = response.bodyAsJsonObject().getJsonObject("echo");
    assertEquals(new JsonObject().put("userId", USER_ID).put("server", false), envelope.getJsonObject("caller"));
    assertEquals(new JsonObject().put("clinicId", CLINIC_ID), envelope.getJsonObject("path"));
    assertEquals("GetClinic", store.operations().get(0).action());
  }

  @Test
  void clientsWrittenForTidepoolMaySendTheJwtAsSessionToken() {
    HttpResponse<Buffer> response = http.get("/v1/clinics/" + CLINIC_ID).putHeader("x-tidepool-session-token", userToken()).send().await();
    assertEquals(200, response.statusCode());
    assertEquals(USER_ID, response.bodyAsJsonObject().getJsonObject("echo").getJsonObject("caller").getString("userId"));
  }

  @Test
  void usersSeenInTokensAreRemembered() {
    send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, userToken(), null);
    JsonObject user = platformDb.findOne("users", new JsonObject().put("_id", USER_ID), null).await();
    assertEquals("ann@example.org", user.getString("email"));
    assertEquals("Ann Smith", user.getString("fullName"));
  }

  @Test
  void aServerTokenListsClinicsWithTheValidatedQuery() {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/clinics?limit=5&offset=10&shareCode=ABCD", tokens.server(), null);
    assertEquals(200, response.statusCode());
    JsonObject envelope = response.bodyAsJsonObject().getJsonObject("echo");
    assertEquals(true, envelope.getJsonObject("caller").getBoolean("server"));
    JsonObject query = envelope.getJsonObject("query");
    assertEquals(5, query.getInteger("limit"));
    assertEquals(10, query.getInteger("offset"));
    assertEquals("ABCD", query.getString("shareCode"));
  }

  @Test
  void aUserMayNotListAllClinicsAndTheStoreIsNotAsked() {
    assertError(send(HttpMethod.GET, "/v1/clinics", userToken(), null), 403, "ListClinics");
    assertTrue(store.operations().isEmpty());
  }

  @Test
  void cliniciansAreListedForMembersOnly() {
    store.callerRoles = new JsonArray().add("CLINIC_MEMBER");
    assertEquals(200, send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID + "/clinicians", userToken(), null).statusCode());
    JsonObject question = store.received.get(0).body();
    assertEquals(new JsonObject().put("clinicId", CLINIC_ID).put("userId", USER_ID), question);

    store.reset();
    store.callerRoles = new JsonArray().add("PRESCRIBER");
    assertError(send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID + "/clinicians", userToken(), null), 403, "ListClinicians");
    assertTrue(store.operations().isEmpty());
  }

  @Test
  void aClinicIsCreatedWithoutItsReadOnlyFields() {
    JsonObject clinic = new JsonObject().put("name", "Sunrise Clinic").put("preferredBgUnits", "mg/dL");
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/clinics", userToken(), clinic);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(clinic, response.bodyAsJsonObject().getJsonObject("echo").getJsonObject("body"));
    assertEquals("CreateClinic", store.operations().get(0).action());
  }

  @Test
  void anEmptyClinicNameIs400NamingTheField() {
    JsonObject clinic = new JsonObject().put("name", "").put("preferredBgUnits", "mg/dL");
    assertError(send(HttpMethod.POST, "/v1/clinics", userToken(), clinic), 400, "body/name");
    assertTrue(store.operations().isEmpty());
  }

  @Test
  void aMissingRequiredFieldIs400NamingIt() {
    assertError(send(HttpMethod.POST, "/v1/clinics", userToken(), new JsonObject().put("name", "X")), 400, "preferredBgUnits");
  }

  @Test
  void malformedJsonIs400() {
    assertError(send(HttpMethod.POST, "/v1/clinics", userToken(), Buffer.buffer("{\"name\": ")), 400, "body");
  }

  @Test
  void aMissingBodyIs400() {
    assertError(send(HttpMethod.POST, "/v1/clinics", userToken(), null), 400, "body");
  }

  @Test
  void aBodyThatIsNotJsonIs400() {
    HttpResponse<Buffer> response = http.post("/v1/clinics").bearerTokenAuthentication(userToken())
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("name=x")).await();
    assertEquals(400, response.statusCode());
    assertEquals(400, response.bodyAsJsonObject().getInteger("code"));
  }

  @Test
  void withoutAStoreTheServiceIsUnavailable() {
    store.stop().await();
    try {
      assertError(send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, userToken(), null), 503, "service unavailable");
    } finally {
      store.start(vertx).await();
    }
  }

  @Test
  void anInvalidQueryParameterIs400NamingIt() {
    assertError(send(HttpMethod.GET, "/v1/clinics?limit=0", tokens.server(), null), 400, "limit");
  }

  @Test
  void anInvalidPathParameterIs400NamingIt() {
    assertError(send(HttpMethod.GET, "/v1/clinics/not-an-id", userToken(), null), 400, "clinicId");
  }

  @Test
  void anUnknownPathIs404Json() {
    assertError(send(HttpMethod.GET, "/v1/nothing-here", userToken(), null), 404, "not found");
  }

  @Test
  void aWrongMethodIs405Json() {
    assertError(send(HttpMethod.PATCH, "/v1/clinics", userToken(), null), 405, "method not allowed");
  }

  @Test
  void aBodyOverTheLimitIs413() {
    JsonObject clinic = new JsonObject().put("name", "x".repeat(5000)).put("preferredBgUnits", "mg/dL");
    assertError(send(HttpMethod.POST, "/v1/clinics", userToken(), clinic), 413, "too large");
    assertTrue(store.operations().isEmpty());
  }

  @Test
  void aStoreFailureKeepsItsStatusAndMessage() {
    store.answers.put("GetClinic", request -> Future.failedFuture(ServiceError.notFound("clinic not found")));
    assertError(send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, userToken(), null), 404, "clinic not found");
  }

  @Test
  void anUnexpectedStoreFailureSaysInternalErrorOnly() {
    store.answers.put("GetClinic", request -> Future.failedFuture(new IllegalStateException("secret detail")));
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/clinics/" + CLINIC_ID, userToken(), null);
    assertError(response, 500, "internal error");
    assertEquals("internal error", response.bodyAsJsonObject().getString("message"));
  }

  @Test
  void deleteClinicAnswers204WithAnEmptyBody() {
    store.callerRoles = new JsonArray().add("CLINIC_ADMIN");
    store.answers.put("DeleteClinic", request -> Future.succeededFuture(null));
    HttpResponse<Buffer> response = send(HttpMethod.DELETE, "/v1/clinics/" + CLINIC_ID, userToken(), null);
    assertEquals(204, response.statusCode());
    assertNull(response.body());
  }

  @Test
  void aMemberMayLeaveAClinicButNotRemoveSomeoneElse() {
    store.callerRoles = new JsonArray().add("CLINIC_MEMBER");
    store.answers.put("DeleteClinician", request -> Future.succeededFuture(null));
    HttpResponse<Buffer> leave = send(HttpMethod.DELETE, "/v1/clinics/" + CLINIC_ID + "/clinicians/" + USER_ID, userToken(), null);
    assertEquals(200, leave.statusCode());
    assertNull(leave.body());
    assertError(send(HttpMethod.DELETE, "/v1/clinics/" + CLINIC_ID + "/clinicians/" + OTHER_USER_ID, userToken(), null),
        403, "DeleteClinician");
  }

  @Test
  void readyOnlyOnceDeployedAndTheStoreAnswers() {
    assertError(send(HttpMethod.GET, "/ready", null, null), 503, "not ready");
    vertx.sharedData().getLocalMap(AppState.MAP).put(AppState.DEPLOYED, true);
    HttpResponse<Buffer> ready = send(HttpMethod.GET, "/ready", null, null);
    assertEquals(200, ready.statusCode());
    assertEquals(new JsonObject().put("status", "ready"), ready.bodyAsJsonObject());

    store.stop().await();
    try {
      assertError(send(HttpMethod.GET, "/ready", null, null), 503, "store");
    } finally {
      store.start(vertx).await();
    }
  }

  @Test
  void theGeneratedJwtKeyIsReadableByItsOwnerOnly() throws Exception {
    Path secret = dataDir.resolve("jwt-secret");
    assertTrue(Files.size(secret) >= 32);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
  }
}
