package org.tidepool.clinic.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.testing.Mailbox.Mail;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * Kafka goes away under the whole service and comes back: nothing written meanwhile is lost on
 * the way to the mails. The class stops its broker, so it runs one of its own rather than the
 * shared one.
 */
@ExtendWith(TestStackExtension.class)
class CdcKafkaOutageTest {
  @TempDir
  static Path kafkaDir;

  static EmbeddedKafka kafka;
  static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    kafka = EmbeddedKafka.start(kafkaDir, 0);
    stack = stacks.start(new JsonObject().put("KAFKA_BROKERS", kafka.bootstrapServers()));
  }

  @AfterAll
  static void stop() {
    stack.close();
    kafka.close();
  }

  @Test
  void clinicsCreatedWhileKafkaIsDownAreAllMailedOnceItIsBack() {
    String admin = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String adminToken = stack.userToken(admin, admin + "@example.org", "Kay Admin");
    kafka.stop();
    try {
      for (int n = 1; n <= 3; n++) {
        HttpResponse<Buffer> created = stack.http().post("/v1/clinics").bearerTokenAuthentication(adminToken)
            .sendJsonObject(new JsonObject().put("name", "Offline Clinic " + n).put("preferredBgUnits", "mg/dL")).await();
        assertTrue(created.statusCode() == 200, created.statusCode() + " " + created.bodyAsString());
      }
    } finally {
      kafka.start();
    }

    List<Mail> mails = stack.mailbox().awaitCount(admin + "@example.org", 3);
    assertTrue(mails.stream().allMatch(mail -> mail.subject().equals("New Tidepool Clinic account created")));
    List<String> clinics = mails.stream().map(mail -> mail.text().replaceAll("(?s).*The clinic account \"([^\"]*)\".*", "$1")).sorted().toList();
    assertEquals(List.of("Offline Clinic 1", "Offline Clinic 2", "Offline Clinic 3"), clinics);
  }
}
