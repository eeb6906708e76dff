package org.tidepool.clinic.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.HttpAssertions;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * One running service per test class (api + store on the shared embedded MongoDB), jwt auth, and a
 * WireMock stand-in for the OAuth2 token endpoint of service accounts (outside our boundary).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestStackExtension.class)
abstract class HttpTestBase {
  static final String DEMO_PATIENT = "dddddddddd";
  static final String ROBOT_CLIENT = "robot-client";
  static final String ROBOT_SECRET = "robot-secret";

  protected TestStack stack;
  protected WireMockServer tokenEndpoint;
  protected String server;

  /** A user of the jwt mode: id, email, name and a token that carries them. */
  record Person(String id, String email, String name, String token) {}

  @BeforeAll
  void startStack(TestStacks stacks) {
    tokenEndpoint = new WireMockServer(options().dynamicPort());
    tokenEndpoint.start();
    stack = stacks.start(new JsonObject()
        .put("ROLES", "api,store")
        .put("CLINIC_DEMO_PATIENT_USER_ID", DEMO_PATIENT)
        .put("TIDEPOOL_AUTH_SERVICE_TOKEN_ENDPOINT", tokenEndpoint.baseUrl() + "/token"));
    server = stack.serverToken();
  }

  @AfterAll
  void stopTokenEndpoint() {
    if (tokenEndpoint != null) {
      tokenEndpoint.stop();
    }
  }

  /** The token endpoint grants {@code clientId} (with {@link #ROBOT_SECRET}) an id token for {@code subject}. */
  void serviceAccount(String clientId, String subject) {
    String claims = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(new JsonObject().put("sub", subject).encode().getBytes(StandardCharsets.UTF_8));
    tokenEndpoint.stubFor(post(urlEqualTo("/token"))
        .withRequestBody(containing("client_id=" + clientId))
        .withRequestBody(containing("client_secret=" + ROBOT_SECRET))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(new JsonObject().put("access_token", "a").put("id_token", "e30." + claims + ".sig").encode())));
    tokenEndpoint.stubFor(post(urlEqualTo("/token")).atPriority(10)
        .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}")));
  }

  static String newUserId() {
    return String.format("%010x", ThreadLocalRandom.current().nextLong(0x10000000000L));
  }

  Person person(String name) {
    String id = newUserId();
    String email = name.toLowerCase().replace(' ', '.') + "." + id + "@example.org";
    return new Person(id, email, name, stack.userToken(id, email, name));
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request = stack.http().request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  HttpResponse<Buffer> get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  JsonArray okArray(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonArray();
  }

  /** A JSON error body {code, message} with the status, naming the problem. */
  static void assertError(HttpResponse<Buffer> response, int status, String messagePart) {
    HttpAssertions.assertError(response, status, messagePart);
  }

  JsonObject createClinic(Person creator, String name) {
    return ok(call(HttpMethod.POST, "/v1/clinics", creator.token(),
        new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL")));
  }

  static JsonObject clinician(String email, String... roles) {
    return new JsonObject().put("email", email).put("roles", new JsonArray(java.util.List.of(roles)));
  }

  /** Invites {@code member} (by the internal create) and has them accept. */
  void addMember(String clinicId, Person member, String... roles) {
    // a first request makes the user directory know the member's name (jwt mode)
    okArray(get("/v1/clinicians/" + member.id() + "/clinics", member.token()));
    String inviteId = "invite-" + member.id();
    ok(call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/clinicians", server,
        clinician(member.email(), roles).put("inviteId", inviteId)));
    ok(call(HttpMethod.PATCH, "/v1/clinics/" + clinicId + "/invites/clinicians/" + inviteId + "/clinician", server,
        new JsonObject().put("userId", member.id())));
  }
}
