package org.tidepool.clinic.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * A worker process (role cdc-consumer, no api) answers probes and scrapes on its management
 * server; its readiness follows Kafka, its liveness does not. The class stops its broker, so it
 * runs one of its own.
 */
@ExtendWith(TestStackExtension.class)
class ReadinessTest {
  @TempDir
  static Path kafkaDir;

  static EmbeddedKafka kafka;
  static TestStack worker;

  @BeforeAll
  static void start(TestStacks stacks) {
    kafka = EmbeddedKafka.start(kafkaDir, 0);
    worker = stacks.start(new JsonObject().put("ROLES", "cdc-consumer").put("KAFKA_BROKERS", kafka.bootstrapServers())
        .put("METRICS_ENABLED", true));
  }

  @AfterAll
  static void stop() {
    worker.close();
    kafka.close();
  }

  private static HttpResponse<Buffer> get(String path) {
    return worker.http().get(worker.httpPort(), "127.0.0.1", path).send().await();
  }

  @Test
  void readinessFollowsKafkaAndLivenessStaysUp() {
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(get("/ready").bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "ready"));
    kafka.stop();
    try {
      HttpResponse<Buffer> down = Eventually.await(worker.vertx(), "not ready without Kafka", () -> {
        HttpResponse<Buffer> ready = get("/ready");
        return ready.statusCode() == 503 ? ready : null;
      });
      JsonObject body = down.bodyAsJsonObject();
      assertThat(body.getInteger("code")).isEqualTo(503);
      assertThat(body.getString("message")).contains("kafka").contains("Kafka does not answer");
      assertThat(body.getJsonArray("failing").getJsonObject(0).getString("id")).isEqualTo("kafka");
      HttpResponse<Buffer> live = get("/status");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    } finally {
      kafka.start();
    }
    Eventually.await(worker.vertx(), "ready again once Kafka is back", () -> get("/ready").statusCode() == 200);
  }

  @Test
  void theWorkerIsScrapedOnItsManagementPort() {
    Scrape scrape = Scrape.of(worker.http(), worker.httpPort());
    assertThat(scrape.find("jvm_memory_used_bytes", java.util.Map.of("area", "heap"))).isNotEmpty();
    assertThat(scrape.find("clinic_cdc_consumer_lag", java.util.Map.of("topic", worker.namespace().topicPrefix() + "clinic.clinics")))
        .hasSize(1);
    // no api here: the operations are not served
    assertThat(get("/v1/clinics").statusCode()).isEqualTo(404);
  }
}
