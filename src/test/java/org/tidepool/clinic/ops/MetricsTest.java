package org.tidepool.clinic.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * {@code GET /metrics} scraped over HTTP after real requests and events: the named series are
 * there, with bounded labels, and move by what happened.
 */
@ExtendWith(TestStackExtension.class)
class MetricsTest {
  static TestStack stack;
  static WebClient http;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("METRICS_ENABLED", true));
    http = stack.http();
  }

  private static Scrape scrape() {
    return Scrape.of(http, stack.httpPort());
  }

  private static String createClinic(String token, String name) {
    HttpResponse<Buffer> created = http.post("/v1/clinics").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL")).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    return created.bodyAsJsonObject().getString("id");
  }

  private static String newUser() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @Test
  void requestsCountByOperationAndStatusNeverByPath() {
    String user = newUser();
    String token = stack.userToken(user, user + "@example.org", "Metrics Admin");
    String clinicId = createClinic(token, "Metrics Clinic");
    Map<String, String> getClinic200 = Map.of("route", "GetClinic", "method", "GET", "code", "200");
    Map<String, String> storeGetClinic = Map.of("address", "clinic.store.clinics", "action", "GetClinic", "code", "200");
    Scrape before = scrape();

    for (int i = 0; i < 5; i++) {
      assertThat(http.get("/v1/clinics/" + clinicId).bearerTokenAuthentication(token).send().await().statusCode()).isEqualTo(200);
    }
    assertThat(http.get("/v1/clinics/" + "0123456789abcdef01234567").bearerTokenAuthentication(token).send().await().statusCode())
        .isIn(403, 404);

    Scrape after = scrape();
    assertThat(after.value("vertx_http_server_requests_total", getClinic200) - before.value("vertx_http_server_requests_total", getClinic200))
        .isEqualTo(5);
    assertThat(after.value("clinic_eventbus_requests_seconds_count", storeGetClinic)
        - before.value("clinic_eventbus_requests_seconds_count", storeGetClinic)).isEqualTo(5);
    assertThat(after.find("vertx_http_server_requests_total", Map.of("route", "CreateClinic", "code", "200"))).isNotEmpty();
    // no label carries an id of a path
    assertThat(after.text).doesNotContain(clinicId).doesNotContain("0123456789abcdef01234567");
  }

  @Test
  void aClinicCreatedIsPublishedConsumedAndMailedOnce() {
    Map<String, String> clinicCreated = Map.of("template", "clinic_created");
    double mailsBefore = scrape().value("clinic_mail_sent_total", clinicCreated);
    String user = newUser();
    createClinic(stack.userToken(user, user + "@example.org", "Mail Admin"), "Mailed Clinic");
    stack.mailbox().awaitFor(user + "@example.org");

    Scrape after = Eventually.await(stack.vertx(), "the mail counted", () -> {
      Scrape now = scrape();
      return now.value("clinic_mail_sent_total", clinicCreated) == mailsBefore + 1 ? now : null;
    });
    String clinicsTopic = stack.namespace().topicPrefix() + "clinic.clinics";
    assertThat(after.value("clinic_cdc_relay_published_total", Map.of("collection", "clinics"))).isPositive();
    assertThat(after.value("clinic_cdc_consumer_records_total", Map.of("topic", clinicsTopic))).isPositive();
    assertThat(after.find("clinic_cdc_consumer_lag", Map.of("topic", clinicsTopic))).as("consumer lag of the clinics topic")
        .hasSize(1);
    assertThat(after.has("kafka_consumer_fetch_manager_fetch_total")).as("the Kafka client's own metrics").isTrue();
    assertThat(after.value("clinic_cdc_relay_publish_latency_seconds_count", Map.of())).isPositive();
    assertThat(after.value("clinic_eventbus_requests_seconds_count", Map.of("address", "clinic.mail", "action", "send", "code", "200")))
        .isPositive();
  }

  @Test
  void theJvmIsMeasured() {
    Scrape now = scrape();
    assertThat(now.find("jvm_memory_used_bytes", Map.of("area", "heap"))).isNotEmpty();
    assertThat(now.has("jvm_threads_live_threads")).isTrue();
    assertThat(now.has("jvm_gc_memory_allocated_bytes_total") || now.has("jvm_gc_pause_seconds_count")).isTrue();
  }

  @Test
  void theBacklogGrowsWhileTheRelayStandsByAndEmptiesWhenItPublishesAgain() {
    JsonObject lease = new JsonObject().put("_id", "relay");
    JsonObject foreign = new JsonObject().put("owner", "another-process")
        .put("expiresAt", new JsonObject().put("$date", "2999-01-01T00:00:00Z"));
    stack.clinicDb().save("cdc_relay_lease", foreign.copy().put("_id", "relay")).await();
    try {
      Eventually.await(stack.vertx(), "the relay stands by", () -> scrape().value("clinic_cdc_relay_lease_held", Map.of()) == 0);
      String user = newUser();
      createClinic(stack.userToken(user, user + "@example.org", "Waiting Admin"), "Waiting Clinic");
      Scrape waiting = Eventually.await(stack.vertx(), "the backlog measured", () -> {
        Scrape now = scrape();
        return now.value("clinic_cdc_outbox_backlog", Map.of()) >= 2 ? now : null;
      });
      assertThat(waiting.value("clinic_cdc_outbox_oldest_age_seconds", Map.of())).isPositive();
    } finally {
      stack.clinicDb().removeDocument("cdc_relay_lease", lease).await();
    }
    Eventually.await(stack.vertx(), "the backlog published", () -> {
      Scrape now = scrape();
      return now.value("clinic_cdc_relay_lease_held", Map.of()) == 1 && now.value("clinic_cdc_outbox_backlog", Map.of()) == 0
          && now.value("clinic_cdc_outbox_oldest_age_seconds", Map.of()) == 0;
    });
  }

  @Test
  void mailsTheServerRefusesAreCountedRetriedAndDeadLettered(TestStacks stacks) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TestStack refused = stacks.start(new JsonObject().put("METRICS_ENABLED", true)
        .put("SMTP_HOST", "127.0.0.1").put("SMTP_PORT", closedPort).put("SMTP_STARTTLS", "DISABLED")
        .put("CDC_RETRY_ATTEMPTS", 2))) {
      String user = newUser();
      HttpResponse<Buffer> created = refused.http().post("/v1/clinics")
          .bearerTokenAuthentication(refused.userToken(user, user + "@example.org", "Unlucky Admin"))
          .sendJsonObject(new JsonObject().put("name", "Unmailed Clinic").put("preferredBgUnits", "mg/dL")).await();
      assertThat(created.statusCode()).isEqualTo(200);
      String clinicsTopic = refused.namespace().topicPrefix() + "clinic.clinics";

      Scrape after = Eventually.await(refused.vertx(), "the record dead-lettered", () -> {
        Scrape now = Scrape.of(refused.http(), refused.httpPort());
        return now.value("clinic_cdc_consumer_dead_letters_total", Map.of("topic", clinicsTopic)) == 1 ? now : null;
      });
      assertThat(after.value("clinic_cdc_consumer_retries_total", Map.of("topic", clinicsTopic))).isEqualTo(1);
      assertThat(after.value("clinic_mail_failed_total", Map.of("template", "clinic_created"))).isEqualTo(2);
      assertThat(after.value("clinic_mail_sent_total", Map.of("template", "clinic_created"))).isZero();
    }
  }
}
