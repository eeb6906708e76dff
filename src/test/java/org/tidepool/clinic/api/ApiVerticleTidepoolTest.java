package org.tidepool.clinic.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The api verticle in tidepool mode: session tokens checked with a (WireMock) shoreline. */
@ExtendWith(VertxExtension.class)
class ApiVerticleTidepoolTest {
  static final String CLINIC_ID = "0123456789abcdef01234567";
  static final String OWN_TOKEN = "clinic-service-token";

  static WireMockServer shoreline;
  static RecordingStore store = new RecordingStore();
  static WebClient http;
  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    shoreline = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    shoreline.start();
    shoreline.stubFor(post(urlEqualTo("/serverlogin"))
        .withHeader("x-tidepool-server-name", equalTo("clinic"))
        .withHeader("x-tidepool-server-secret", equalTo("server-secret"))
        .willReturn(aResponse().withStatus(200).withHeader("x-tidepool-session-token", OWN_TOKEN)));
    JsonObject config = new JsonObject()
        .put("HTTP_HOST", "127.0.0.1").put("HTTP_PORT", 0)
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", shoreline.baseUrl())
        .put("TIDEPOOL_SERVER_NAME", "clinic").put("TIDEPOOL_SERVER_TOKEN", "server-secret");
    store.start(vertx).await();
    org.tidepool.clinic.platform.Platform platform =
        org.tidepool.clinic.platform.Platform.create(vertx, new org.tidepool.clinic.config.Settings(config), null);
    vertx.deployVerticle(() -> ApiVerticle.withPlatform(platform), new DeploymentOptions().setConfig(config).setInstances(2)).await();
    port = (Integer) vertx.sharedData().getLocalMap(AppState.MAP).get(AppState.HTTP_PORT);
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stop() {
    shoreline.stop();
  }

  @BeforeEach
  void reset() {
    store.reset();
  }

  static void tokenIs(String token, String userId, boolean server) {
    shoreline.stubFor(get(urlEqualTo("/token/" + token))
        .withHeader("x-tidepool-session-token", equalTo(OWN_TOKEN))
        .willReturn(okJson(new JsonObject().put("userid", userId).put("isserver", server).encode())));
  }

  static HttpResponse<Buffer> request(String uri, String token) {
    HttpRequest<Buffer> request = http.get(uri);
    if (token != null) {
      request.putHeader("x-tidepool-session-token", token);
    }
    return request.send().await();
  }

  static void assertError(HttpResponse<Buffer> response, int status, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject();
    assertEquals(status, error.getInteger("code"));
    assertTrue(error.getString("message").contains(messagePart), error.getString("message"));
  }

  @Test
  void aValidUserTokenReachesTheStoreAsThatUser() {
    tokenIs("user-token-1", "abcdef0123", false);
    HttpResponse<Buffer> response = request("/v1/clinics/" + CLINIC_ID, "user-token-1");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(new JsonObject().put("userId", "abcdef0123").put("server", false),
        response.bodyAsJsonObject().getJsonObject("echo").getJsonObject("caller"));
    shoreline.verify(postRequestedFor(urlEqualTo("/serverlogin")));
  }

  @Test
  void aServerTokenMayListClinicsAndIsCheckedOnlyOnceByAllInstances(Vertx vertx) {
    tokenIs("server-token-1", "hydrophone", true);
    assertEquals(200, request("/v1/clinics", "server-token-1").statusCode());
    // a second client opens its own connection, which the second api instance may serve
    WebClient another = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, another.get("/v1/clinics").putHeader("x-tidepool-session-token", "server-token-1").send().await().statusCode());
    }
    another.close();
    assertEquals(true, store.operations().get(1).body().getJsonObject("caller").getBoolean("server"));
    shoreline.verify(1, getRequestedFor(urlEqualTo("/token/server-token-1")));
  }

  @Test
  void userTokensAreCheckedOnEveryRequest() {
    tokenIs("user-token-2", "0123456789", false);
    request("/v1/clinics/" + CLINIC_ID, "user-token-2");
    request("/v1/clinics/" + CLINIC_ID, "user-token-2");
    shoreline.verify(2, getRequestedFor(urlEqualTo("/token/user-token-2")));
  }

  @Test
  void aTokenShorelineDoesNotKnowIs401() {
    shoreline.stubFor(get(urlEqualTo("/token/unknown-token")).willReturn(aResponse().withStatus(401)));
    assertError(request("/v1/clinics/" + CLINIC_ID, "unknown-token"), 401, "invalid session token");
    assertTrue(store.received.isEmpty());
  }

  @Test
  void noSessionTokenIs401() {
    assertError(request("/v1/clinics/" + CLINIC_ID, null), 401, "x-tidepool-session-token");
  }

  @Test
  void aUserTokenMayNotListClinics() {
    tokenIs("user-token-3", "abcdef0123", false);
    assertError(request("/v1/clinics", "user-token-3"), 403, "ListClinics");
  }
}
