package org.tidepool.clinic.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Users from a (WireMock) shoreline and seagull, with this service's own server token. */
@ExtendWith(VertxExtension.class)
class TidepoolUserDirectoryTest {
  WireMockServer tidepool;
  MutableClock clock = new MutableClock();
  TidepoolUserDirectory users;

  @BeforeEach
  void start(Vertx vertx) {
    tidepool = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    tidepool.start();
    tidepool.stubFor(post(urlEqualTo("/serverlogin")).inScenario("login").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(200).withHeader("x-tidepool-session-token", "token-1"))
        .willSetStateTo("logged in once"));
    tidepool.stubFor(post(urlEqualTo("/serverlogin")).inScenario("login").whenScenarioStateIs("logged in once")
        .willReturn(aResponse().withStatus(200).withHeader("x-tidepool-session-token", "token-2")));
    ShorelineSession session = new ShorelineSession(WebClient.create(vertx), tidepool.baseUrl(), "clinic", "secret", clock);
    users = new TidepoolUserDirectory(session, tidepool.baseUrl() + "/seagull");
  }

  @AfterEach
  void stop() {
    tidepool.stop();
  }

  void userExists(String token) {
    tidepool.stubFor(get(urlEqualTo("/user/abcdef0123")).withHeader("x-tidepool-session-token", equalTo(token))
        .willReturn(okJson("{\"userid\":\"abcdef0123\",\"username\":\"ann@example.org\",\"emails\":[\"ann@clinic.org\"]}")));
    tidepool.stubFor(get(urlEqualTo("/seagull/abcdef0123/profile")).withHeader("x-tidepool-session-token", equalTo(token))
        .willReturn(okJson("{\"fullName\":\"Ann Smith\"}")));
  }

  @Test
  void aUserHasTheFirstEmailAndTheProfileName() {
    userExists("token-1");
    assertEquals(new User("abcdef0123", "ann@clinic.org", "Ann Smith"), users.find("abcdef0123").await());
  }

  @Test
  void aUserHasShorelinesRoles() {
    tidepool.stubFor(get(urlEqualTo("/user/abcdef0123")).willReturn(okJson(
        "{\"userid\":\"abcdef0123\",\"username\":\"ann@example.org\",\"roles\":[\"clinic\",7]}")));
    tidepool.stubFor(get(urlEqualTo("/seagull/abcdef0123/profile")).willReturn(aResponse().withStatus(404)));
    User ann = users.find("abcdef0123").await();
    assertEquals(java.util.List.of("clinic"), ann.roles());
    org.junit.jupiter.api.Assertions.assertTrue(ann.isLegacyClinic());
  }

  @Test
  void anUnknownUserIsNull() {
    tidepool.stubFor(get(urlEqualTo("/user/0123456789")).willReturn(aResponse().withStatus(404)));
    assertNull(users.find("0123456789").await());
  }

  @Test
  void aUserWithoutProfileHasNoName() {
    tidepool.stubFor(get(urlEqualTo("/user/abcdef0123"))
        .willReturn(okJson("{\"userid\":\"abcdef0123\",\"username\":\"ann@example.org\"}")));
    tidepool.stubFor(get(urlEqualTo("/seagull/abcdef0123/profile")).willReturn(aResponse().withStatus(404)));
    assertEquals(new User("abcdef0123", "ann@example.org", null), users.find("abcdef0123").await());
  }

  @Test
  void anUnreachableShorelineIs503(Vertx vertx) {
    ShorelineSession nowhere = new ShorelineSession(WebClient.create(vertx), "http://127.0.0.1:1", "clinic", "secret", clock);
    org.tidepool.clinic.common.ServiceError error = org.junit.jupiter.api.Assertions.assertThrows(
        org.tidepool.clinic.common.ServiceError.class, () -> new TidepoolUserDirectory(nowhere, "").find("abcdef0123").await());
    assertEquals(503, error.code());
  }

  @Test
  void aRejectedServerTokenIsReplacedByANewLogin() {
    userExists("token-1");
    users.find("abcdef0123").await();
    clock.advance(Duration.ofMinutes(10));
    tidepool.stubFor(get(urlEqualTo("/user/abcdef0123")).withHeader("x-tidepool-session-token", equalTo("token-1"))
        .willReturn(aResponse().withStatus(401)));
    userExists("token-2");
    assertEquals("ann@clinic.org", users.find("abcdef0123").await().email());
    tidepool.verify(2, postRequestedFor(urlEqualTo("/serverlogin")));
  }

  @Test
  void theServerTokenIsRenewedHourly() {
    userExists("token-1");
    users.find("abcdef0123").await();
    users.find("abcdef0123").await();
    tidepool.verify(1, postRequestedFor(urlEqualTo("/serverlogin")));
    clock.advance(Duration.ofMinutes(61));
    userExists("token-2");
    users.find("abcdef0123").await();
    tidepool.verify(2, postRequestedFor(urlEqualTo("/serverlogin")));
  }
}
