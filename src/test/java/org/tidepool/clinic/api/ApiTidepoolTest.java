package org.tidepool.clinic.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.testing.HttpAssertions.assertError;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The running service in tidepool mode with two api instances: callers' session tokens are
 * checked by shoreline, users' emails come from shoreline and names from seagull (both WireMock
 * stand-ins, outside our boundary).
 */
@ExtendWith(TestStackExtension.class)
class ApiTidepoolTest {
  static final String OWN_TOKEN = "clinic-service-session";
  static final String SESSION_HEADER = "x-tidepool-session-token";
  static final String CAROL = "c0ffee0123";
  static final String CLINIC_URI = "/v1/clinics/0123456789abcdef01234567";

  static WireMockServer tidepool;
  static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    tidepool = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    tidepool.start();
    tidepool.stubFor(post(urlEqualTo("/auth/serverlogin"))
        .withHeader("x-tidepool-server-name", equalTo("clinic"))
        .withHeader("x-tidepool-server-secret", equalTo("server-secret"))
        .willReturn(aResponse().withStatus(200).withHeader(SESSION_HEADER, OWN_TOKEN)));
    sessionOf("carol-session", CAROL, false);
    withOwnToken(get(urlEqualTo("/auth/user/" + CAROL)), new JsonObject().put("userid", CAROL)
        .put("username", "carol@example.org").put("emails", new JsonArray().add("carol@example.org")));
    withOwnToken(get(urlEqualTo("/metadata/" + CAROL + "/profile")), new JsonObject().put("fullName", "Carol Diaz"));
    stack = stacks.start(new JsonObject()
        .put("ROLES", "api,store")
        .put("HTTP_INSTANCES", 2)
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", tidepool.baseUrl() + "/auth")
        .put("TIDEPOOL_SEAGULL_CLIENT_ADDRESS", tidepool.baseUrl() + "/metadata")
        .put("TIDEPOOL_SERVER_TOKEN", "server-secret"));
  }

  @AfterAll
  static void stop() {
    tidepool.stop();
  }

  /** Shoreline answers, to this service only, that {@code token} belongs to {@code userId}. */
  static void sessionOf(String token, String userId, boolean server) {
    withOwnToken(get(urlEqualTo("/auth/token/" + token)), new JsonObject().put("userid", userId).put("isserver", server));
  }

  static void withOwnToken(MappingBuilder request, JsonObject answer) {
    tidepool.stubFor(request.withHeader(SESSION_HEADER, equalTo(OWN_TOKEN)).willReturn(okJson(answer.encode())));
  }

  static HttpResponse<Buffer> getAs(String sessionToken, String uri) {
    return getAs(stack.http(), sessionToken, uri);
  }

  static HttpResponse<Buffer> getAs(WebClient client, String sessionToken, String uri) {
    var request = client.get(uri);
    if (sessionToken != null) {
      request.putHeader(SESSION_HEADER, sessionToken);
    }
    return request.send().await();
  }

  @Test
  void theCreatorOfAClinicIsItsAdminWithTheirTidepoolProfile() {
    HttpResponse<Buffer> created = stack.http().post("/v1/clinics").putHeader(SESSION_HEADER, "carol-session")
        .sendJson(new JsonObject().put("name", "Harbor Clinic").put("preferredBgUnits", "mmol/L")).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);

    HttpResponse<Buffer> carol = getAs("carol-session", "/v1/clinics/" + created.bodyAsJsonObject().getString("id") + "/clinicians/" + CAROL);
    assertThat(carol.statusCode()).as(carol.bodyAsString()).isEqualTo(200);
    assertThat(carol.bodyAsJsonObject().getString("email")).isEqualTo("carol@example.org");
    assertThat(carol.bodyAsJsonObject().getString("name")).isEqualTo("Carol Diaz");
    assertThat(carol.bodyAsJsonObject().getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
  }

  @Test
  void patientAccountsAreShorelineCustodialUsersAndExistingUsersComeWithTheirProfile() {
    HttpResponse<Buffer> clinic = stack.http().post("/v1/clinics").putHeader(SESSION_HEADER, "carol-session")
        .sendJson(new JsonObject().put("name", "Custodial Clinic").put("preferredBgUnits", "mg/dL")).await();
    String clinicId = clinic.bodyAsJsonObject().getString("id");
    tidepool.stubFor(post(urlEqualTo("/auth/v1/clinics/" + clinicId + "/users")).withHeader(SESSION_HEADER, equalTo(OWN_TOKEN))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
            "{\"username\": \"kim@example.org\", \"emails\": [\"kim@example.org\"]}"))
        .willReturn(aResponse().withStatus(201).withBody("{\"userid\": \"feedbeef01\"}")));
    HttpResponse<Buffer> created = stack.http().post("/v1/clinics/" + clinicId + "/patients").putHeader(SESSION_HEADER, "carol-session")
        .sendJson(new JsonObject().put("fullName", "Kim Kid").put("birthDate", "2016-06-06").put("email", "Kim@Example.org")).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    assertThat(created.bodyAsJsonObject().getString("id")).isEqualTo("feedbeef01");

    tidepool.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlEqualTo("/auth/user/feedbeef01"))
        .withHeader(SESSION_HEADER, equalTo(OWN_TOKEN)).willReturn(aResponse().withStatus(409)));
    HttpResponse<Buffer> taken = stack.http().put("/v1/clinics/" + clinicId + "/patients/feedbeef01").putHeader(SESSION_HEADER, "carol-session")
        .sendJson(new JsonObject().put("fullName", "Kim Kid").put("birthDate", "2016-06-06").put("email", "taken@example.org")).await();
    assertError(taken, 409, "already taken");

    sessionOf("migration-session", "clinic-worker", true);
    withOwnToken(get(urlEqualTo("/auth/user/abcabc0001")), new JsonObject().put("userid", "abcabc0001").put("username", "Lou@Example.org"));
    withOwnToken(get(urlEqualTo("/metadata/abcabc0001/profile")), new JsonObject().put("fullName", "Lou's Parent")
        .put("patient", new JsonObject().put("fullName", "Lou Lee").put("birthday", "2009-09-09").put("mrn", "L-1")));
    HttpResponse<Buffer> fromUser = stack.http().post("/v1/clinics/" + clinicId + "/patients/abcabc0001")
        .putHeader(SESSION_HEADER, "migration-session").sendJson(new JsonObject()).await();
    assertThat(fromUser.statusCode()).as(fromUser.bodyAsString()).isEqualTo(200);
    assertThat(fromUser.bodyAsJsonObject().getString("email")).isEqualTo("lou@example.org");
    assertThat(fromUser.bodyAsJsonObject().getString("fullName")).isEqualTo("Lou Lee");
    assertThat(fromUser.bodyAsJsonObject().getString("birthDate")).isEqualTo("2009-09-09");
    assertThat(fromUser.bodyAsJsonObject().getString("mrn")).isEqualTo("L-1");
  }

  @Test
  void aCreatorShorelineDoesNotKnowIsADeclared404AndNothingIsWritten() {
    sessionOf("ghost-session", "0badc0ffee", false);
    tidepool.stubFor(get(urlEqualTo("/auth/user/0badc0ffee")).willReturn(aResponse().withStatus(404)));
    HttpResponse<Buffer> created = new DeclaredResponses(stack.vertx()).check(HttpMethod.POST, "/v1/clinics",
        stack.http().post("/v1/clinics").putHeader(SESSION_HEADER, "ghost-session")
            .sendJson(new JsonObject().put("name", "Ghost Clinic").put("preferredBgUnits", "mg/dL")).await());
    assertError(created, 404, "0badc0ffee");
    assertThat(stack.clinicDb().count("clinics", new JsonObject().put("name", "Ghost Clinic")).await()).isZero();
  }

  @Test
  void aServerTokenIsCheckedWithShorelineOnceForAllApiInstances() {
    sessionOf("hydrophone-session", "hydrophone", true);
    // without keep-alive every request opens a connection, and the api instances take turns
    WebClient oneConnectionPerRequest = WebClient.create(stack.vertx(),
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(stack.httpPort()).setKeepAlive(false));
    try {
      for (int i = 0; i < 4; i++) {
        assertThat(getAs(oneConnectionPerRequest, "hydrophone-session", "/v1/clinics").statusCode()).isEqualTo(200);
      }
    } finally {
      oneConnectionPerRequest.close();
    }
    tidepool.verify(1, getRequestedFor(urlEqualTo("/auth/token/hydrophone-session")));
  }

  @Test
  void userTokensAreCheckedOnEveryRequest() {
    sessionOf("dave-session", "d0d0d0d0d0", false);
    assertThat(getAs("dave-session", CLINIC_URI).statusCode()).isEqualTo(404);
    assertThat(getAs("dave-session", CLINIC_URI).statusCode()).isEqualTo(404);
    tidepool.verify(2, getRequestedFor(urlEqualTo("/auth/token/dave-session")));
  }

  @Test
  void aUserMayNotUseServerOperations() {
    assertError(getAs("carol-session", "/v1/clinics"), 403, "ListClinics");
  }

  @Test
  void aSessionTokenShorelineRejectsIs401() {
    tidepool.stubFor(get(urlEqualTo("/auth/token/stale-session")).willReturn(aResponse().withStatus(401)));
    assertError(getAs("stale-session", CLINIC_URI), 401, "invalid session token");
  }

  @Test
  void withoutASessionTokenIs401EvenWithABearerToken() {
    assertError(getAs(null, CLINIC_URI), 401, SESSION_HEADER);
    HttpResponse<Buffer> bearer = stack.http().get(CLINIC_URI).bearerTokenAuthentication(stack.serverToken()).send().await();
    assertError(bearer, 401, SESSION_HEADER);
  }
}
