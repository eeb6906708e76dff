package org.tidepool.clinic.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.testing.TestStack;

/**
 * The running service in tidepool mode: session tokens checked by shoreline, the user's email
 * from shoreline and name from seagull (both WireMock stand-ins).
 */
class ApiStackTidepoolTest {
  static final String OWN_TOKEN = "clinic-service-session";
  static final String CAROL = "c0ffee0123";

  static WireMockServer tidepool;
  static TestStack stack;

  @BeforeAll
  static void start() {
    tidepool = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    tidepool.start();
    tidepool.stubFor(post(urlEqualTo("/auth/serverlogin"))
        .willReturn(aResponse().withStatus(200).withHeader("x-tidepool-session-token", OWN_TOKEN)));
    tidepool.stubFor(get(urlEqualTo("/auth/token/carol-session")).withHeader("x-tidepool-session-token", equalTo(OWN_TOKEN))
        .willReturn(okJson(new JsonObject().put("userid", CAROL).put("isserver", false).encode())));
    tidepool.stubFor(get(urlEqualTo("/auth/user/" + CAROL)).withHeader("x-tidepool-session-token", equalTo(OWN_TOKEN))
        .willReturn(okJson(new JsonObject().put("userid", CAROL).put("username", "carol@example.org")
            .put("emails", new io.vertx.core.json.JsonArray().add("carol@example.org")).encode())));
    tidepool.stubFor(get(urlEqualTo("/metadata/" + CAROL + "/profile")).withHeader("x-tidepool-session-token", equalTo(OWN_TOKEN))
        .willReturn(okJson(new JsonObject().put("fullName", "Carol Diaz").encode())));
    stack = TestStack.start(new JsonObject()
        .put("ROLES", "api,store")
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", tidepool.baseUrl() + "/auth")
        .put("TIDEPOOL_SEAGULL_CLIENT_ADDRESS", tidepool.baseUrl() + "/metadata")
        .put("TIDEPOOL_SERVER_TOKEN", "server-secret"));
  }

  @AfterAll
  static void stop() {
    stack.close();
    tidepool.stop();
  }

  @Test
  void theCreatorOfAClinicIsItsAdminWithTheirTidepoolProfile() {
    HttpResponse<Buffer> created = stack.http().post("/v1/clinics").putHeader("x-tidepool-session-token", "carol-session")
        .sendJson(new JsonObject().put("name", "Harbor Clinic").put("preferredBgUnits", "mmol/L")).await();
    assertEquals(200, created.statusCode(), created.bodyAsString());
    String clinicId = created.bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> carol = stack.http().get("/v1/clinics/" + clinicId + "/clinicians/" + CAROL)
        .putHeader("x-tidepool-session-token", "carol-session").send().await();
    assertEquals(200, carol.statusCode(), carol.bodyAsString());
    assertEquals("carol@example.org", carol.bodyAsJsonObject().getString("email"));
    assertEquals("Carol Diaz", carol.bodyAsJsonObject().getString("name"));
  }

  @Test
  void aSessionTokenShorelineRejectsIs401() {
    tidepool.stubFor(get(urlEqualTo("/auth/token/stale-session")).willReturn(aResponse().withStatus(404)));
    HttpResponse<Buffer> response = stack.http().get("/v1/clinics/0123456789abcdef01234567")
        .putHeader("x-tidepool-session-token", "stale-session").send().await();
    assertEquals(401, response.statusCode());
    assertEquals(401, response.bodyAsJsonObject().getInteger("code"));
  }

  @Test
  void aBearerTokenIsNotASessionToken() {
    HttpResponse<Buffer> response = stack.http().get("/v1/clinics/0123456789abcdef01234567")
        .bearerTokenAuthentication(stack.serverToken()).send().await();
    assertEquals(401, response.statusCode());
    assertTrue(response.bodyAsJsonObject().getString("message").contains("x-tidepool-session-token"));
  }
}
