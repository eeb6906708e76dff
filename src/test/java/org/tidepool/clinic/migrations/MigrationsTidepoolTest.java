package org.tidepool.clinic.migrations;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The legacy-clinic operations in tidepool mode: whether a user is a legacy clinic account is
 * shoreline's {@code GET /user/{id}} {@code roles} (S-C4; a WireMock stand-in): 404 there is our
 * 404, no {@code clinic} role our 422, any other answer our 503.
 */
@ExtendWith(TestStackExtension.class)
class MigrationsTidepoolTest {
  static final String OWN_TOKEN = "clinic-service-session";
  static final String SESSION_HEADER = "x-tidepool-session-token";
  static final String LEGACY = "1e9ac10001";
  static final String PLAIN = "9a1e000001";

  static WireMockServer tidepool;
  static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    tidepool = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    tidepool.start();
    tidepool.stubFor(post(urlEqualTo("/auth/serverlogin"))
        .willReturn(aResponse().withStatus(200).withHeader(SESSION_HEADER, OWN_TOKEN)));
    sessionOf("legacy-session", LEGACY, false);
    sessionOf("worker-session", "worker", true);
    account(LEGACY, "legacy@example.org", "clinic");
    account(PLAIN, "plain@example.org", "patient");
    withOwnToken(get(urlEqualTo("/metadata/" + LEGACY + "/profile")), new JsonObject().put("fullName", "Lee Legacy"));
    withOwnToken(get(urlEqualTo("/metadata/" + PLAIN + "/profile")), new JsonObject().put("fullName", "Pat Plain"));
    tidepool.stubFor(get(urlEqualTo("/auth/user/0000000404")).willReturn(aResponse().withStatus(404)));
    tidepool.stubFor(get(urlEqualTo("/auth/user/0000000500")).willReturn(aResponse().withStatus(500)));
    stack = stacks.start(new JsonObject()
        .put("ROLES", "api,store")
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", tidepool.baseUrl() + "/auth")
        .put("TIDEPOOL_SEAGULL_CLIENT_ADDRESS", tidepool.baseUrl() + "/metadata")
        .put("TIDEPOOL_SERVER_TOKEN", "server-secret"));
  }

  @AfterAll
  static void stop() {
    tidepool.stop();
  }

  static void sessionOf(String token, String userId, boolean server) {
    withOwnToken(get(urlEqualTo("/auth/token/" + token)), new JsonObject().put("userid", userId).put("isserver", server));
  }

  static void account(String userId, String email, String... roles) {
    withOwnToken(get(urlEqualTo("/auth/user/" + userId)), new JsonObject().put("userid", userId).put("username", email)
        .put("emails", new JsonArray().add(email)).put("roles", new JsonArray(java.util.List.of(roles))));
  }

  static void withOwnToken(MappingBuilder request, JsonObject answer) {
    tidepool.stubFor(request.withHeader(SESSION_HEADER, equalTo(OWN_TOKEN)).willReturn(okJson(answer.encode())));
  }

  static HttpResponse<Buffer> call(HttpMethod method, String uri, String session, JsonObject body) {
    var request = stack.http().request(method, uri).putHeader(SESSION_HEADER, session);
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  @Test
  void aLegacyClinicAccountAtShorelineGetsItsClinicAndTriggersItsMigration() {
    HttpResponse<Buffer> enabled = call(HttpMethod.POST, "/v1/clinicians/" + LEGACY + "/migrate", "worker-session", null);
    assertThat(enabled.statusCode()).as(enabled.bodyAsString()).isEqualTo(200);
    String clinicUri = "/v1/clinics/" + enabled.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> admin = call(HttpMethod.GET, clinicUri + "/clinicians/" + LEGACY, "legacy-session", null);
    assertThat(admin.bodyAsJsonObject().getString("name")).as("the seagull profile's name").isEqualTo("Lee Legacy");
    assertThat(admin.bodyAsJsonObject().getString("email")).isEqualTo("legacy@example.org");
    HttpResponse<Buffer> profiled = call(HttpMethod.PUT, clinicUri, "legacy-session", new JsonObject().put("name", "Lee's Practice")
        .put("address", "1 Main St").put("city", "Springfield").put("state", "CA").put("postalCode", "90000").put("country", "US")
        .put("clinicType", "provider_practice").put("preferredBgUnits", "mg/dL"));
    assertThat(profiled.statusCode()).as(profiled.bodyAsString()).isEqualTo(200);

    HttpResponse<Buffer> triggered = call(HttpMethod.POST, clinicUri + "/migrate", "legacy-session",
        new JsonObject().put("attestationSubmitted", true));

    assertThat(triggered.statusCode()).as(triggered.bodyAsString()).isEqualTo(200);
    assertThat(triggered.bodyAsJsonObject().getString("status")).isEqualTo("PENDING");
    assertThat(triggered.bodyAsJsonObject().getString("attestationTime")).isNotNull();
    tidepool.verify(getRequestedFor(urlEqualTo("/auth/user/" + LEGACY)).withHeader(SESSION_HEADER, equalTo(OWN_TOKEN)));
  }

  @Test
  void shorelinesAnswerDecidesWhoIsALegacyAccount() {
    assertError(call(HttpMethod.POST, "/v1/clinicians/" + PLAIN + "/migrate", "worker-session", null), 422, "not a legacy clinic account");
    assertError(call(HttpMethod.POST, "/v1/clinicians/0000000404/migrate", "worker-session", null), 404, "not found");
    assertError(call(HttpMethod.POST, "/v1/clinicians/0000000500/migrate", "worker-session", null), 503, "shoreline");
    assertError(call(HttpMethod.POST, "/v1/clinicians/" + LEGACY + "/migrate", "legacy-session", null), 403, "");
    assertThat(stack.clinicDb().count("clinicians", new JsonObject().put("userId", PLAIN)).await()).isZero();
  }
}
