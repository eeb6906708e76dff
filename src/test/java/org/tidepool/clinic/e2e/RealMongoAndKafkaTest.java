package org.tidepool.clinic.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.tidepool.clinic.testing.TestStack;

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

    List<String> values = read("real.clinic.clinics", 1);
    JsonObject event = new JsonObject(new JsonObject("{\"v\":" + values.get(0) + "}").getString("v"));
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

  private static List<String> read(String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "real-test-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
