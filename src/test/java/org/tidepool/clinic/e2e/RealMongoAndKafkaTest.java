package org.tidepool.clinic.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.tidepool.clinic.testing.Mailbox.Mail;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.tidepool.clinic.testing.TopicReader;

/**
 * The same path as on the embedded stack, on a real MongoDB replica set and a real Kafka broker:
 * HTTP → store → MongoDB + change record → relay → Kafka → consumer → SMTP and gatekeeper.
 * Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(TestStackExtension.class)
class RealMongoAndKafkaTest {
  @Container
  static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0").withReplicaSet();

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.0.0");

  static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject()
        .put("TIDEPOOL_STORE_ADDRESSES", MONGO.getHost() + ":" + MONGO.getMappedPort(27017))
        .put("TIDEPOOL_STORE_OPT_PARAMS", "directConnection=true")
        .put("KAFKA_BROKERS", KAFKA.getBootstrapServers()));
  }

  @Test
  void aCreatedClinicIsPublishedMailedAndProjected() throws Exception {
    String token = stack.userToken("realuser01", "real@example.org", "Real User");
    JsonObject clinic = stack.http().post("/v1/clinics").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", "Real Clinic").put("preferredBgUnits", "mg/dL"))
        .await().bodyAsJsonObject();
    String clinicId = clinic.getString("id");

    String value = TopicReader.readAtLeast(KAFKA.getBootstrapServers(), stack.namespace().topicPrefix() + "clinic.clinics", 1).get(0).value();
    JsonObject event = new JsonObject(new JsonObject("{\"v\":" + value + "}").getString("v"));
    assertEquals("insert", event.getString("operationType"));
    assertEquals(clinicId, event.getJsonObject("documentKey").getJsonObject("_id").getString("$oid"));
    assertEquals("Real Clinic", event.getJsonObject("fullDocument").getString("name"));

    Mail mail = stack.mailbox().awaitFor("real@example.org");
    assertEquals("New Tidepool Clinic account created", mail.subject());
    assertTrue(mail.text().contains("\"Real Clinic\""), mail.text());

    JsonObject query = new JsonObject().put("userId", "realuser01");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject projected = null;
    while (projected == null && System.nanoTime() < deadline) {
      projected = stack.gatekeeperDb().findOne("clinician_permissions", query, null).await();
      if (projected == null) {
        Thread.sleep(100);
      }
    }
    Object projectedClinic = projected.getValue("clinicId");
    assertEquals(clinicId, projectedClinic instanceof JsonObject oid ? oid.getString("$oid") : projectedClinic);
  }
}
