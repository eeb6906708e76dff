package org.tidepool.clinic.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.CapturedLogs;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The log lines of the running service (all roles): JSON objects with upstream's field names,
 * one request id shared by the lines one request causes, in the api and in the store, one
 * access line per request, and no patient or clinician data and no token in any line.
 */
@ExtendWith(TestStackExtension.class)
class LogLinesTest {
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start();
  }

  private static String newUserId() {
    return String.format("%010x", ThreadLocalRandom.current().nextLong(0x10000000000L));
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, String requestId, JsonObject body) {
    return send(method, path, token, requestId, body).await();
  }

  private static Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String token, String requestId, JsonObject body) {
    HttpRequest<Buffer> request = stack.http().request(method, path).putHeader("Authorization", "Bearer " + token);
    if (requestId != null) {
      request.putHeader("X-Request-Id", requestId);
    }
    return body == null ? request.send() : request.sendJson(body);
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 299);
    return response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
  }

  private static String newClinic(String token) {
    return ok(call(HttpMethod.POST, "/v1/clinics", token, null,
        new JsonObject().put("name", "Log Clinic").put("preferredBgUnits", "mg/dL"))).getString("id");
  }

  private static List<JsonObject> linesOf(CapturedLogs logs, String requestId) {
    return logs.json().stream().filter(line -> requestId.equals(line.getString("requestId"))).toList();
  }

  @Test
  void everyLineIsJsonAndTheLinesOfOneRequestShareItsIdInTheApiAndInTheStore() {
    String admin = newUserId();
    String token = stack.userToken(admin, admin + "@example.org", "Log Admin");
    String clinicId = newClinic(token);
    try (CapturedLogs logs = CapturedLogs.start(Map.of("org.tidepool.clinic.common", Level.DEBUG))) {
      // concurrent requests: the event loops switch between them, the ids must not mix
      List<String> ids = new ArrayList<>();
      List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = "log-test-" + i + "-" + admin;
        ids.add(id);
        responses.add(send(HttpMethod.GET, "/v1/clinics/" + clinicId, token, id, null));
      }
      for (int i = 0; i < ids.size(); i++) {
        HttpResponse<Buffer> response = responses.get(i).await();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("X-Request-Id")).isEqualTo(ids.get(i));
      }
      HttpResponse<Buffer> unnamed = call(HttpMethod.GET, "/v1/clinics/" + clinicId, token, null, null);
      String generated = unnamed.getHeader("X-Request-Id");
      assertThat(generated).matches("[0-9a-f-]{36}");
      Eventually.await(stack.vertx(), "the access line", () -> linesOf(logs, generated).stream().anyMatch(line -> "access".equals(line.getString("logger"))));

      List<JsonObject> all = logs.json();
      assertThat(all).isNotEmpty().allSatisfy(line -> {
        assertThat(LEVELS).contains(line.getString("level"));
        assertThat(line.getValue("ts")).isInstanceOf(Number.class);
        assertThat(line.getString("msg")).isNotNull();
        assertThat(line.getString("logger")).isNotBlank();
      });
      for (String id : ids) {
        List<JsonObject> lines = linesOf(logs, id);
        assertThat(lines).as("access line of %s", id).filteredOn(line -> "access".equals(line.getString("logger")))
            .singleElement().satisfies(access -> {
              assertThat(access.getString("level")).isEqualTo("info");
              assertThat(access.getString("msg")).isEqualTo("request");
              assertThat(access.getString("method")).isEqualTo("GET");
              assertThat(access.getString("route")).isEqualTo("/v1/clinics/{clinicId}");
              assertThat(access.getString("operationId")).isEqualTo("GetClinic");
              assertThat(access.getString("status")).isEqualTo("200");
              assertThat(Long.parseLong(access.getString("durationMs"))).isNotNegative();
              assertThat(access.getString("remoteAddress")).isEqualTo("127.0.0.1");
            });
        assertThat(lines).as("store's line of %s", id)
            .filteredOn(line -> line.getString("logger").equals("org.tidepool.clinic.common.Actions"))
            .singleElement().satisfies(store -> assertThat(store.getString("msg")).isEqualTo("GetClinic on clinic.store.clinics: done"));
      }
      assertThat(linesOf(logs, generated)).extracting(line -> line.getString("logger"))
          .containsExactlyInAnyOrder("access", "org.tidepool.clinic.common.Actions");
    }
  }

  @Test
  void theIdTravelsWithTheChangeRecordToTheConsumerAndTheMailItSends() {
    String admin = newUserId();
    String email = admin + "@example.org";
    String requestId = "create-" + admin;
    try (CapturedLogs logs = CapturedLogs.start(Map.of())) {
      HttpResponse<Buffer> created = call(HttpMethod.POST, "/v1/clinics", stack.userToken(admin, email, "Mail Admin"), requestId,
          new JsonObject().put("name", "Traced Clinic").put("preferredBgUnits", "mg/dL"));
      assertThat(created.statusCode()).isEqualTo(200);
      stack.mailbox().awaitFor(email);
      String clinicId = created.bodyAsJsonObject().getString("id");
      // the store's change record → the relay's Kafka header → the consumer → the event bus → the mail verticle
      JsonObject sent = Eventually.await(stack.vertx(), "the mail line of clinic " + clinicId, () -> linesOf(logs, requestId).stream()
          .filter(line -> line.getString("msg").startsWith("mail: sent clinic_created (dedup key ")).findFirst().orElse(null));
      assertThat(sent.getString("logger")).isEqualTo("org.tidepool.clinic.mail.MailVerticle");
    }
  }

  @Test
  void anUnknownRouteAndAProbeAreLoggedWithoutTheQueryAndProbesNotAtAll() {
    try (CapturedLogs logs = CapturedLogs.start(Map.of())) {
      String secretQuery = "?search=Secret" + newUserId();
      HttpResponse<Buffer> notFound = stack.http().get("/v2/nowhere" + secretQuery).putHeader("X-Request-Id", "unknown-route").send().await();
      assertThat(notFound.statusCode()).isEqualTo(404);
      assertThat(stack.http().get("/ready").putHeader("X-Request-Id", "a-probe").send().await().statusCode()).isEqualTo(200);
      Eventually.await(stack.vertx(), "the access line", () -> !linesOf(logs, "unknown-route").isEmpty());
      assertThat(linesOf(logs, "unknown-route")).singleElement().satisfies(access -> {
        assertThat(access.getString("status")).isEqualTo("404");
        assertThat(access.containsKey("route")).isFalse();
      });
      assertThat(logs.text()).doesNotContain(secretQuery.substring(8)).doesNotContain("a-probe");
    }
  }

  @Test
  void patientOperationsLogNoNameBirthDateEmailOrToken() throws Exception {
    String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    String admin = newUserId();
    String adminEmail = "zanzibar.quell." + suffix + "@example.org";
    String adminToken = stack.userToken(admin, adminEmail, "Zanzibar Quell" + suffix);
    String server = stack.serverToken();
    String patientName = "Quillon Vexmoor" + suffix;
    String birthDate = "1983-04-17";
    String patientEmail = "quillon.vexmoor." + suffix + "@example.org";
    try (CapturedLogs logs = CapturedLogs.start(Map.of("org.tidepool.clinic", Level.DEBUG))) {
      String clinicId = newClinic(adminToken);
      String patients = "/v1/clinics/" + clinicId + "/patients";
      JsonObject created = ok(call(HttpMethod.POST, patients, adminToken, null,
          new JsonObject().put("fullName", patientName).put("birthDate", birthDate).put("email", patientEmail)));
      String patient = patients + "/" + created.getString("id");
      ok(call(HttpMethod.GET, patient, adminToken, null, null));
      ok(call(HttpMethod.PUT, patient, adminToken, null,
          new JsonObject().put("fullName", patientName + " Jr").put("birthDate", birthDate).put("email", patientEmail)));
      ok(call(HttpMethod.DELETE, patient, adminToken, null, null));
      // the CDC consumer mails the admin about the new clinic: the mail path is logged too
      stack.mailbox().awaitFor(adminEmail);
      TimeUnit.MILLISECONDS.sleep(500);

      String text = logs.text();
      assertThat(logs.lines()).as("something was captured").hasSizeGreaterThan(6);
      for (String secret : List.of(patientName.split(" ")[1], birthDate, patientEmail, adminEmail,
          "Zanzibar", adminToken, server, adminToken.substring(adminToken.lastIndexOf('.') + 1))) {
        assertThat(text).as("the logs must not contain %s", secret).doesNotContain(secret);
      }
    }
  }
}
