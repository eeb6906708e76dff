package org.tidepool.clinic.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.web.client.HttpResponse;

import io.vertx.core.http.HttpMethod;

import io.vertx.core.buffer.Buffer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WireMock stand-ins of shoreline, seagull and gatekeeper for a legacy "clinic" account and the
 * patients sharing with it, answering as upstream's services do (paths under {@code /shoreline},
 * {@code /seagull} and {@code /gatekeeper} of one server), with the calls a migration makes
 * recorded. Start one per test class:
 * <pre>
 *   stubs = new LegacyPlatformStubs();
 *   LegacyClinician legacy = stubs.legacyClinician("Dr. Legacy", 25);
 *   stack = stacks.start(stubs.config().put("ROLES", "..."));
 *   String token = stubs.sessionFor(legacy.userId()); // an x-tidepool-session-token of the clinician
 * </pre>
 * The stubs answer only calls that carry {@link #SERVER_TOKEN}; anything else gets 404.
 */
public final class LegacyPlatformStubs implements AutoCloseable {
  public static final String SESSION_HEADER = "x-tidepool-session-token";
  /** The server token shoreline's login hands out. */
  public static final String SERVER_TOKEN = "legacy-stubs-server-token";
  public static final String SERVER_SECRET = "legacy-stubs-server-secret";
  private static final int FALLBACK = 100;

  /** A patient sharing directly with a legacy clinician. */
  public record LegacyPatient(String userId, String email, String fullName, String birthday, String mrn, Set<String> permissions) {}

  /** A legacy clinician with role {@code clinic} and the patients sharing with it. */
  public record LegacyClinician(String userId, String email, String fullName, List<LegacyPatient> patients) {}

  private final WireMockServer server;
  private final AtomicLong ids = new AtomicLong(0xa000000000L);

  public LegacyPlatformStubs() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    server.stubFor(post(urlEqualTo("/shoreline/serverlogin")).withHeader("x-tidepool-server-secret", equalTo(SERVER_SECRET))
        .willReturn(aResponse().withStatus(200).withHeader(SESSION_HEADER, SERVER_TOKEN)));
    server.stubFor(get(urlEqualTo("/shoreline/token/" + SERVER_TOKEN))
        .willReturn(okJson(new JsonObject().put("userid", "clinic").put("isserver", true).encode())));
    // an unknown account or profile is gone; calls without a known token are refused
    server.stubFor(get(urlMatching("/shoreline/user/.*")).atPriority(FALLBACK).willReturn(aResponse().withStatus(404)));
    server.stubFor(get(urlMatching("/seagull/.*")).atPriority(FALLBACK).willReturn(aResponse().withStatus(404)));
    server.stubFor(get(urlMatching("/gatekeeper/access/groups/.*")).atPriority(FALLBACK).willReturn(aResponse().withStatus(404)));
    server.stubFor(post(urlMatching("/gatekeeper/access/.*")).atPriority(FALLBACK).willReturn(aResponse().withStatus(404)));
    server.stubFor(get(urlMatching("/shoreline/token/.*")).atPriority(FALLBACK).willReturn(aResponse().withStatus(404)));
    quietWorkerServices();
    server.stubFor(any(urlMatching(".*")).atPriority(FALLBACK + 1)
        .willReturn(aResponse().withStatus(404)));
  }

  /**
   * The other services the worker's duties call for a new patient (data sources, summaries,
   * notifications, hydrophone invites, restricted tokens, seagull profile writes) answer as for
   * a user with nothing there, so that a migration's patient inserts do not retry against them.
   */
  private void quietWorkerServices() {
    server.stubFor(get(urlMatching("/data/v1/users/[^/]+/data_sources")).atPriority(FALLBACK).willReturn(okJson("[]")));
    server.stubFor(get(urlMatching("/data/v1/users/[^/]+/data_sets.*")).atPriority(FALLBACK).willReturn(okJson("[]")));
    server.stubFor(get(urlMatching("/data/v1/summaries/.*")).atPriority(FALLBACK).willReturn(aResponse().withStatus(404)));
    server.stubFor(post(urlMatching("/data/v1/notifications/.*")).atPriority(FALLBACK).willReturn(aResponse().withStatus(200)));
    server.stubFor(post(urlMatching("/confirm/confirm/send/signup/.*")).atPriority(FALLBACK).willReturn(okJson("{}")));
    server.stubFor(get(urlMatching("/auth/v1/users/[^/]+/restricted_tokens")).atPriority(FALLBACK).willReturn(okJson("[]")));
    server.stubFor(post(urlMatching("/auth/v1/users/[^/]+/restricted_tokens")).atPriority(FALLBACK)
        .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
            .withBody("{\"id\": \"00000000000000000000000000000001\"}")));
    server.stubFor(post(urlMatching("/seagull/[^/]+/profile")).atPriority(FALLBACK).willReturn(aResponse().withStatus(200)));
  }

  public WireMockServer server() {
    return server;
  }

  public String shorelineAddress() {
    return server.baseUrl() + "/shoreline";
  }

  public String seagullAddress() {
    return server.baseUrl() + "/seagull";
  }

  public String gatekeeperAddress() {
    return server.baseUrl() + "/gatekeeper";
  }

  /** The settings of a tidepool-mode stack on these stubs (the worker's other services quiet, Marketo off). */
  public JsonObject config() {
    return new JsonObject()
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", shorelineAddress())
        .put("TIDEPOOL_SEAGULL_CLIENT_ADDRESS", seagullAddress())
        .put("TIDEPOOL_GATEKEEPER_CLIENT_ADDRESS", gatekeeperAddress())
        .put("TIDEPOOL_DATA_CLIENT_ADDRESS", server.baseUrl() + "/data")
        .put("TIDEPOOL_CONFIRMATION_CLIENT_ADDRESS", server.baseUrl() + "/confirm")
        .put("TIDEPOOL_DOCKER_PLATFORM_AUTH_HOST", server.baseUrl() + "/auth")
        .put("TIDEPOOL_SERVER_TOKEN", SERVER_SECRET)
        .put("TIDEPOOL_MARKETO_SERVICE_ENABLED", false);
  }

  /** A new 10-hex user id, as shoreline's. */
  public String newUserId() {
    return Long.toHexString(ids.getAndIncrement());
  }

  /** A legacy clinician with {@code patients} patients, each sharing view and upload, with email, birthday and MRN. */
  public LegacyClinician legacyClinician(String fullName, int patients) {
    String userId = newUserId();
    List<LegacyPatient> list = new ArrayList<>();
    for (int i = 0; i < patients; i++) {
      String patientId = newUserId();
      list.add(new LegacyPatient(patientId, "patient-" + patientId + "@example.org", "Patient " + patientId,
          String.format("2010-%02d-%02d", 1 + i % 12, 1 + i % 28), "MRN-" + patientId, Set.of("view", "upload")));
    }
    return legacyClinician(new LegacyClinician(userId, "legacy-" + userId + "@example.org", fullName, list));
  }

  /**
   * Stubs the clinician (shoreline account with role {@code clinic}, seagull profile, gatekeeper
   * groups with its own {@code root} entry, role update 200, session end 204) and its patients
   * (accounts, profiles, share removal 200).
   */
  public LegacyClinician legacyClinician(LegacyClinician clinician) {
    String id = clinician.userId();
    account(id, clinician.email(), "clinic");
    server.stubFor(get(urlEqualTo("/seagull/" + id + "/profile")).withHeader(SESSION_HEADER, equalTo(SERVER_TOKEN))
        .willReturn(okJson(new JsonObject().put("fullName", clinician.fullName()).encode())));
    JsonObject groups = new JsonObject().put(id, new JsonObject().put("root", new JsonObject()));
    for (LegacyPatient patient : clinician.patients()) {
      JsonObject permissions = new JsonObject();
      patient.permissions().forEach(name -> permissions.put(name, new JsonObject()));
      groups.put(patient.userId(), permissions);
      patientAccount(patient);
      server.stubFor(post(urlEqualTo("/gatekeeper/access/" + patient.userId() + "/" + id)).withHeader(SESSION_HEADER, equalTo(SERVER_TOKEN))
          .withHeader("Content-Type", equalTo("application/json"))
          .willReturn(okJson("{}")));
    }
    server.stubFor(get(urlEqualTo("/gatekeeper/access/groups/" + id)).withHeader(SESSION_HEADER, equalTo(SERVER_TOKEN))
        .willReturn(okJson(groups.encode())));
    server.stubFor(put(urlEqualTo("/shoreline/user/" + id)).withHeader(SESSION_HEADER, equalTo(SERVER_TOKEN))
        .willReturn(okJson("{}")));
    server.stubFor(delete(urlEqualTo("/shoreline/user/" + id + "/sessions")).withHeader(SESSION_HEADER, equalTo(SERVER_TOKEN))
        .willReturn(aResponse().withStatus(204)));
    return clinician;
  }

  /** The patient's shoreline account and seagull profile ({@code fullName}, {@code patient.{fullName, birthday, mrn}}). */
  public void patientAccount(LegacyPatient patient) {
    account(patient.userId(), patient.email());
    JsonObject details = new JsonObject().put("fullName", patient.fullName());
    if (patient.birthday() != null) {
      details.put("birthday", patient.birthday());
    }
    if (patient.mrn() != null) {
      details.put("mrn", patient.mrn());
    }
    server.stubFor(get(urlEqualTo("/seagull/" + patient.userId() + "/profile")).withHeader(SESSION_HEADER, equalTo(SERVER_TOKEN))
        .willReturn(okJson(new JsonObject().put("fullName", patient.fullName()).put("patient", details).encode())));
  }

  /** A shoreline account: {@code GET /user/{id}} answers {@code {userid, username, emails, roles}}. */
  public void account(String userId, String email, String... roles) {
    JsonObject user = new JsonObject().put("userid", userId).put("username", email).put("emails", new JsonArray().add(email))
        .put("roles", new JsonArray(List.of((Object[]) roles))).put("emailVerified", true);
    server.stubFor(get(urlEqualTo("/shoreline/user/" + userId)).withHeader(SESSION_HEADER, equalTo(SERVER_TOKEN))
        .willReturn(okJson(user.encode())));
  }

  /** The patient's account is deleted since it shared: shoreline and seagull answer 404 for it. */
  public void accountGone(String userId) {
    server.stubFor(get(urlEqualTo("/shoreline/user/" + userId)).atPriority(1).willReturn(aResponse().withStatus(404)));
    server.stubFor(get(urlEqualTo("/seagull/" + userId + "/profile")).atPriority(1).willReturn(aResponse().withStatus(404)));
  }

  /** A user session token of the account, accepted by shoreline's {@code GET /token/{token}}. */
  public String sessionFor(String userId) {
    String token = "session-" + userId + "-" + UUID.randomUUID();
    server.stubFor(get(urlEqualTo("/shoreline/token/" + token))
        .willReturn(okJson(new JsonObject().put("userid", userId).put("isserver", false).encode())));
    return token;
  }

  /** The patients whose legacy share with the clinician was removed, once per call, in call order. */
  public List<String> removedShares(String legacyClinicianId) {
    String suffix = "/" + legacyClinicianId;
    return server.findAll(postRequestedFor(urlMatching("/gatekeeper/access/[^/]+/" + legacyClinicianId))).stream()
        .map(LoggedRequest::getUrl)
        .map(url -> url.substring("/gatekeeper/access/".length(), url.length() - suffix.length()))
        .toList();
  }

  /** The distinct patients whose share was removed. */
  public Set<String> patientsUnshared(String legacyClinicianId) {
    return new LinkedHashSet<>(removedShares(legacyClinicianId));
  }

  /** The bodies of the role updates of the account ({@code {"updates": {"roles": ["clinician"]}}}). */
  public List<JsonObject> roleUpdates(String legacyClinicianId) {
    return server.findAll(putRequestedFor(urlEqualTo("/shoreline/user/" + legacyClinicianId))).stream()
        .map(request -> new JsonObject(request.getBodyAsString())).toList();
  }

  /** How often the account's sessions were ended. */
  public int sessionEnds(String legacyClinicianId) {
    return server.findAll(deleteRequestedFor(urlEqualTo("/shoreline/user/" + legacyClinicianId + "/sessions"))).size();
  }

  /** How often gatekeeper was asked for the clinician's shares. */
  public int shareReads(String legacyClinicianId) {
    return server.findAll(getRequestedFor(urlEqualTo("/gatekeeper/access/groups/" + legacyClinicianId))).size();
  }

  /** Every request of the server so far. */
  public List<LoggedRequest> requests() {
    return server.findAll(anyRequestedFor(urlMatching(".*")));
  }

  @Override
  public void close() {
    server.stop();
  }

  /** A call of the service with {@code session} as its x-tidepool-session-token, the body sent as JSON when there is one. */
  public static HttpResponse<Buffer> call(TestStack stack, HttpMethod method, String path, String session, JsonObject body) {
    var request = stack.http().request(method, path).putHeader(SESSION_HEADER, session);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  /** The body of a 200 answer; fails naming the answer otherwise. */
  public static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }
}
