package org.tidepool.clinic.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TopicReader;

/**
 * The same path as on the embedded stack, on a real MongoDB replica set and a real Kafka broker:
 * HTTP → store → MongoDB + change record → relay → Kafka → consumer → SMTP and gatekeeper.
 * Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoAndKafkaTest {
  @Container
  static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0").withReplicaSet();

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.0.0");

  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.start(new JsonObject()
        .put("TIDEPOOL_STORE_ADDRESSES", MONGO.getHost() + ":" + MONGO.getMappedPort(27017))
        .put("TIDEPOOL_STORE_OPT_PARAMS", "directConnection=true")
        .put("KAFKA_BROKERS", KAFKA.getBootstrapServers())
        .put("KAFKA_TOPIC_PREFIX", "real."));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aCreatedClinicIsPublishedMailedAndProjected() throws Exception {
    String token = stack.userToken("realuser01", "real@example.org", "Real User");
    JsonObject clinic = stack.http().post("/v1/clinics").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", "Real Clinic").put("preferredBgUnits", "mg/dL"))
        .await().bodyAsJsonObject();
    String clinicId = clinic.getString("id");

    String value = TopicReader.readAtLeast(KAFKA.getBootstrapServers(), "real.clinic.clinics", 1).get(0).value();
    JsonObject event = new JsonObject(new JsonObject("{\"v\":" + value + "}").getString("v"));
    assertEquals("insert", event.getString("operationType"));
    assertEquals(clinicId, event.getJsonObject("documentKey").getJsonObject("_id").getString("$oid"));
    assertEquals("Real Clinic", event.getJsonObject("fullDocument").getString("name"));

    assertTrue(stack.greenMail().waitForIncomingEmail(20_000, 1), "the clinic_created email arrives");
    MimeMessage mail = stack.greenMail().getReceivedMessages()[0];
    assertEquals("real@example.org", mail.getAllRecipients()[0].toString());

    JsonObject query = new JsonObject().put("userId", "realuser01");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject projected = null;
    while (projected == null && System.nanoTime() < deadline) {
      projected = stack.database("gatekeeper").findOne("clinician_permissions", query, null).await();
      if (projected == null) {
        Thread.sleep(100);
      }
    }
    Object projectedClinic = projected.getValue("clinicId");
    assertEquals(clinicId, projectedClinic instanceof JsonObject oid ? oid.getString("$oid") : projectedClinic);
  }
}
