package org.tidepool.clinic.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.testing.LegacyPlatformStubs;
import org.tidepool.clinic.testing.LegacyPlatformStubs.LegacyClinician;
import org.tidepool.clinic.testing.LegacyPlatformStubs.LegacyPatient;

/**
 * The legacy clinician's gatekeeper and shoreline calls exactly as upstream's worker makes them,
 * against {@link LegacyPlatformStubs}: method, path, body, Content-Type, the server token, and
 * which answers count as done, as nothing, or as a failure.
 */
class TidepoolLegacyCliniciansTest {
  private LegacyPlatformStubs stubs;
  private Vertx vertx;
  private LegacyClinicians legacy;
  private LegacyClinician clinician;

  @BeforeEach
  void start() {
    stubs = new LegacyPlatformStubs();
    vertx = Vertx.vertx();
    ShorelineSession session = new ShorelineSession(WebClient.create(vertx), stubs.shorelineAddress(), "clinic",
        LegacyPlatformStubs.SERVER_SECRET, new MutableClock());
    legacy = new TidepoolLegacyClinicians(new TidepoolHttp(session, "gatekeeper", stubs.gatekeeperAddress() + "/", 5000),
        new TidepoolHttp(session, "shoreline", session.address(), 5000));
    clinician = stubs.legacyClinician(new LegacyClinician("1e9ac11111", "dr.legacy@example.org", "Dr. Legacy", List.of(
        new LegacyPatient("a1a1a1a1a1", "ann@example.org", "Ann", "2011-02-03", "M-1", Set.of("view", "upload")),
        new LegacyPatient("b2b2b2b2b2", "bob@example.org", "Bob", null, null, Set.of("custodian", "view", "note")))));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    stubs.close();
  }

  @Test
  void sharedPatientsAreGatekeepersGroupsWithoutTheClinicianAndWithOnlyTheMigratedPermissions() {
    stubs.server().stubFor(get(urlEqualTo("/gatekeeper/access/groups/" + clinician.userId())).atPriority(1)
        .willReturn(okJson(new JsonObject()
            .put(clinician.userId(), new JsonObject().put("root", new JsonObject()).put("view", new JsonObject()))
            .put("a1a1a1a1a1", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()))
            .put("b2b2b2b2b2", new JsonObject().put("custodian", new JsonObject()).put("root", new JsonObject())
                .put("note", new JsonObject()).put("share_review", new JsonObject()))
            .put("c3c3c3c3c3", new JsonObject()).encode())));

    Map<String, Set<String>> shares = legacy.sharedPatients(clinician.userId()).await();

    assertThat(shares).containsOnly(Map.entry("a1a1a1a1a1", Set.of("view", "upload")),
        Map.entry("b2b2b2b2b2", Set.of("custodian", "note")), Map.entry("c3c3c3c3c3", Set.of()));
    LoggedRequest read = only(RequestMethod.GET, "/gatekeeper/access/groups/" + clinician.userId());
    assertThat(read.getHeader(LegacyPlatformStubs.SESSION_HEADER)).isEqualTo(LegacyPlatformStubs.SERVER_TOKEN);
  }

  @Test
  void aClinicianGatekeeperDoesNotKnowHasNoShares() {
    assertThat(legacy.sharedPatients("0000000404").await()).isEmpty();
  }

  @Test
  void theStubbedClinicianSharesItsPatients() {
    assertThat(legacy.sharedPatients(clinician.userId()).await())
        .isEqualTo(Map.of("a1a1a1a1a1", Set.of("view", "upload"), "b2b2b2b2b2", Set.of("custodian", "view", "note")));
  }

  @Test
  void aGatekeeperFailureIsARetryableFailure() {
    stubs.server().stubFor(get(urlEqualTo("/gatekeeper/access/groups/" + clinician.userId())).atPriority(1)
        .willReturn(aResponse().withStatus(500)));
    assertUnavailable(legacy.sharedPatients(clinician.userId()));
    stubs.server().stubFor(get(urlEqualTo("/gatekeeper/access/groups/" + clinician.userId())).atPriority(1)
        .willReturn(aResponse().withStatus(200).withBody("not json")));
    assertUnavailable(legacy.sharedPatients(clinician.userId()));
  }

  @Test
  void removingAShareSetsThePermissionsToTheJsonNullLiteral() {
    legacy.removeShare("a1a1a1a1a1", clinician.userId()).await();

    LoggedRequest removal = only(RequestMethod.POST, "/gatekeeper/access/a1a1a1a1a1/" + clinician.userId());
    assertThat(removal.getBodyAsString()).isEqualTo("null");
    assertThat(removal.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(removal.getHeader(LegacyPlatformStubs.SESSION_HEADER)).isEqualTo(LegacyPlatformStubs.SERVER_TOKEN);
    assertThat(stubs.removedShares(clinician.userId())).containsExactly("a1a1a1a1a1");
  }

  @Test
  void aShareGatekeeperNoLongerHasCountsAsRemovedAndAFailureDoesNot() {
    stubs.server().stubFor(post(urlEqualTo("/gatekeeper/access/b2b2b2b2b2/" + clinician.userId())).atPriority(1)
        .willReturn(aResponse().withStatus(404)));
    legacy.removeShare("b2b2b2b2b2", clinician.userId()).await();

    stubs.server().stubFor(post(urlEqualTo("/gatekeeper/access/b2b2b2b2b2/" + clinician.userId())).atPriority(1)
        .willReturn(aResponse().withStatus(500)));
    assertUnavailable(legacy.removeShare("b2b2b2b2b2", clinician.userId()));
  }

  @Test
  void theLegacyRoleIsReplacedByClinicianWithoutAContentType() {
    legacy.replaceLegacyRole(clinician.userId()).await();

    LoggedRequest update = only(RequestMethod.PUT, "/shoreline/user/" + clinician.userId());
    assertThat(new JsonObject(update.getBodyAsString()))
        .isEqualTo(new JsonObject("{\"updates\": {\"roles\": [\"clinician\"]}}"));
    assertThat(update.containsHeader("Content-Type")).isFalse();
    assertThat(update.getHeader(LegacyPlatformStubs.SESSION_HEADER)).isEqualTo(LegacyPlatformStubs.SERVER_TOKEN);
  }

  @Test
  void aRoleUpdateOfAGoneAccountIsNotFoundAndAFailureIsRetryable() {
    stubs.server().stubFor(put(urlEqualTo("/shoreline/user/" + clinician.userId())).atPriority(1).willReturn(aResponse().withStatus(404)));
    assertThat(codeOf(legacy.replaceLegacyRole(clinician.userId()))).isEqualTo(ServiceError.NOT_FOUND);
    stubs.server().stubFor(put(urlEqualTo("/shoreline/user/" + clinician.userId())).atPriority(1).willReturn(aResponse().withStatus(500)));
    assertUnavailable(legacy.replaceLegacyRole(clinician.userId()));
    // 200 only, as upstream: another success status is not taken for one
    stubs.server().stubFor(put(urlEqualTo("/shoreline/user/" + clinician.userId())).atPriority(1).willReturn(aResponse().withStatus(204)));
    assertUnavailable(legacy.replaceLegacyRole(clinician.userId()));
  }

  @Test
  void endingTheSessionsIsADeleteAnswered204() {
    legacy.endSessions(clinician.userId()).await();

    LoggedRequest end = only(RequestMethod.DELETE, "/shoreline/user/" + clinician.userId() + "/sessions");
    assertThat(end.getHeader(LegacyPlatformStubs.SESSION_HEADER)).isEqualTo(LegacyPlatformStubs.SERVER_TOKEN);
    assertThat(stubs.sessionEnds(clinician.userId())).isEqualTo(1);

    stubs.server().stubFor(delete(urlEqualTo("/shoreline/user/" + clinician.userId() + "/sessions")).atPriority(1)
        .willReturn(aResponse().withStatus(200)));
    assertUnavailable(legacy.endSessions(clinician.userId()));
    stubs.server().stubFor(delete(urlEqualTo("/shoreline/user/" + clinician.userId() + "/sessions")).atPriority(1)
        .willReturn(aResponse().withStatus(404)));
    assertThat(codeOf(legacy.endSessions(clinician.userId()))).isEqualTo(ServiceError.NOT_FOUND);
  }

  @Test
  void anUnreachableGatekeeperIsARetryableFailure() {
    ShorelineSession session = new ShorelineSession(WebClient.create(vertx), stubs.shorelineAddress(), "clinic",
        LegacyPlatformStubs.SERVER_SECRET, new MutableClock());
    LegacyClinicians nowhere = new TidepoolLegacyClinicians(new TidepoolHttp(session, "gatekeeper", "http://127.0.0.1:1", 2000),
        new TidepoolHttp(session, "shoreline", session.address(), 2000));
    assertUnavailable(nowhere.sharedPatients(clinician.userId()));
  }

  private LoggedRequest only(RequestMethod method, String url) {
    List<LoggedRequest> matching = stubs.requests().stream()
        .filter(request -> request.getMethod().equals(method) && request.getUrl().equals(url)).toList();
    assertThat(matching).as(method + " " + url).hasSize(1);
    return matching.get(0);
  }

  private static void assertUnavailable(Future<?> call) {
    assertThat(codeOf(call)).isEqualTo(ServiceError.UNAVAILABLE);
  }

  private static int codeOf(Future<?> call) {
    Throwable failure = call.transform(result -> Future.succeededFuture(result.failed() ? result.cause() : null)).await();
    assertThat(failure).as("the call fails").isInstanceOf(ServiceError.class);
    return ((ServiceError) failure).code();
  }
}
