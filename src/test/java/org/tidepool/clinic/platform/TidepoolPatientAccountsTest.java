package org.tidepool.clinic.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Custodial accounts and profiles over HTTP, exactly as upstream calls them: {@code POST
 * /v1/clinics/{clinicId}/users} (201 / 409), {@code PUT /user/{id}} with {@code updates} (200 /
 * 409), {@code GET /user/{id}} and seagull's {@code GET /{id}/profile}; no Content-Type on the
 * shoreline bodies; the service's server token on every call.
 */
class TidepoolPatientAccountsTest extends PatientAccountsBehaviour {
  private static final String TOKEN = "server-token";
  private WireMockServer tidepool;
  private Vertx vertx;
  private TidepoolUserDirectory directory;
  private int created;

  @BeforeEach
  void start() {
    tidepool = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    tidepool.start();
    tidepool.stubFor(post(urlEqualTo("/serverlogin")).willReturn(aResponse().withStatus(200).withHeader("x-tidepool-session-token", TOKEN)));
    // any other account creation succeeds with a new id; taken emails are stubbed at a higher priority
    tidepool.stubFor(post(urlEqualTo("/v1/clinics/" + CLINIC + "/users")).atPriority(10)
        .withHeader("x-tidepool-session-token", equalTo(TOKEN)).withHeader("Content-Type", absent())
        .willReturn(aResponse().withStatus(201).withBody("{\"userid\":\"c0ffee0001\"}")));
    tidepool.stubFor(put(urlMatching("/user/.*")).atPriority(10).withHeader("x-tidepool-session-token", equalTo(TOKEN))
        .willReturn(aResponse().withStatus(200).withBody("{}")));
    tidepool.stubFor(get(urlMatching("/user/.*")).atPriority(10).willReturn(aResponse().withStatus(404)));
    vertx = Vertx.vertx();
    ShorelineSession session = new ShorelineSession(WebClient.create(vertx), tidepool.baseUrl(), "clinic", "secret", new MutableClock());
    directory = new TidepoolUserDirectory(session, tidepool.baseUrl() + "/seagull");
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    tidepool.stop();
  }

  @Override
  PatientAccounts accounts() {
    return directory;
  }

  @Override
  void emailTaken(String email) {
    tidepool.stubFor(post(urlEqualTo("/v1/clinics/" + CLINIC + "/users")).atPriority(1)
        .withRequestBody(matchingJsonPath("$.username", equalTo(email))).willReturn(aResponse().withStatus(409)));
    tidepool.stubFor(put(urlMatching("/user/.*")).atPriority(1)
        .withRequestBody(matchingJsonPath("$.updates.username", equalTo(email))).willReturn(aResponse().withStatus(409)));
  }

  @Override
  void accountExists(String userId, String username, JsonObject profile) {
    tidepool.stubFor(get(urlEqualTo("/user/" + userId)).withHeader("x-tidepool-session-token", equalTo(TOKEN))
        .willReturn(okJson(new JsonObject().put("userid", userId).put("username", username).put("emails", new JsonArray().add(username)).encode())));
    tidepool.stubFor(get(urlEqualTo("/seagull/" + userId + "/profile")).withHeader("x-tidepool-session-token", equalTo(TOKEN))
        .willReturn(okJson(profile.encode())));
  }

  /** The email of the last accepted write about the account: the creation's body, or the last update's. */
  @Override
  String emailOf(String userId) {
    List<LoggedRequest> updates = tidepool.findAll(putRequestedFor(urlEqualTo("/user/" + userId)));
    if (!updates.isEmpty()) {
      JsonObject body = new JsonObject(updates.get(updates.size() - 1).getBodyAsString()).getJsonObject("updates");
      JsonArray emails = body.getJsonArray("emails");
      String username = body.getString("username");
      return emails.isEmpty() ? username : (String) emails.getValue(0);
    }
    List<LoggedRequest> creations = tidepool.findAll(
        com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/v1/clinics/" + CLINIC + "/users")));
    JsonObject body = new JsonObject(creations.get(creations.size() - 1).getBodyAsString());
    return body.getJsonArray("emails", new JsonArray()).isEmpty() ? null : body.getString("username");
  }
}
