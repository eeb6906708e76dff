package org.tidepool.clinic.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.common.ServiceError;

/** Service accounts resolved at a (WireMock) Keycloak-style token endpoint. */
@ExtendWith(VertxExtension.class)
class OAuthServiceAccountsTest {
  static WireMockServer keycloak;
  static OAuthServiceAccounts accounts;

  @BeforeAll
  static void start(Vertx vertx) {
    keycloak = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    keycloak.start();
    accounts = new OAuthServiceAccounts(WebClient.create(vertx), keycloak.baseUrl() + "/token");
  }

  @AfterAll
  static void stop() {
    keycloak.stop();
  }

  @BeforeEach
  void reset() {
    keycloak.resetAll();
  }

  static String idToken(JsonObject claims) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + base64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".signature";
  }

  static ServiceError failure(String clientId) {
    return assertThrows(ServiceError.class, () -> accounts.resolveUserId(clientId, "secret").await());
  }

  @Test
  void theServiceAccountIsTheSubjectOfTheIdToken() {
    keycloak.stubFor(post(urlEqualTo("/token"))
        .withRequestBody(containing("grant_type=client_credentials"))
        .withRequestBody(containing("client_id=reporting"))
        .withRequestBody(containing("client_secret=secret"))
        .withRequestBody(containing("scope=openid"))
        .willReturn(okJson(new JsonObject().put("access_token", "x")
            .put("id_token", idToken(new JsonObject().put("sub", "1f2e3d4c-0000-4000-8000-000000000001"))).encode())));
    assertEquals("1f2e3d4c-0000-4000-8000-000000000001", accounts.resolveUserId("reporting", "secret").await());
  }

  @Test
  void rejectedCredentialsAre400() {
    keycloak.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(401)));
    ServiceError error = failure("reporting");
    assertEquals(400, error.code());
    assertTrue(error.getMessage().contains("rejected"));
  }

  @Test
  void anEndpointErrorIs422() {
    keycloak.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(500)));
    assertEquals(422, failure("reporting").code());
  }

  @Test
  void anAnswerWithoutIdTokenIs422() {
    keycloak.stubFor(post(urlEqualTo("/token")).willReturn(okJson("{\"access_token\":\"x\"}")));
    ServiceError error = failure("reporting");
    assertEquals(422, error.code());
    assertTrue(error.getMessage().contains("id_token"));
  }
}
