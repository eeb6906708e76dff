package org.tidepool.clinic.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.cdc.consumer.DeadLetterReplay;
import org.tidepool.clinic.cdc.consumer.DeadLetters;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.infra.KafkaClients;
import org.tidepool.clinic.testing.TestCertificates;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.tidepool.clinic.testing.TopicReader;

/**
 * The service on a broker that takes clients only over SASL_SSL with SCRAM-SHA-512 and a
 * self-signed certificate made here: the relay publishes, the consumer mails, dlq-replay replays,
 * all through that listener; wrong credentials or no TLS are refused at start-up. The broker is
 * configured differently from the shared one, so the class runs its own (one for the class).
 * Its PLAINTEXT listener serves only this test's own set-up and reads.
 */
@ExtendWith(TestStackExtension.class)
class KafkaSecurityTest {
  private static final String USER = "clinic-service";
  private static final String PASSWORD = "scram-" + UUID.randomUUID();

  @TempDir
  static Path directory;

  static TestCertificates broker;
  static EmbeddedKafka kafka;
  static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) throws Exception {
    broker = TestCertificates.selfSigned(directory.resolve("certs"), "broker");
    String secure = "listener.name.secure.";
    kafka = EmbeddedKafka.start(directory.resolve("kafka"), 0, new EmbeddedKafka.Listener("SECURE", "SASL_SSL", 0, Map.of(
        secure + "sasl.enabled.mechanisms", "SCRAM-SHA-512",
        secure + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        secure + "ssl.keystore.location", broker.keyStore().toString(),
        secure + "ssl.keystore.password", broker.password(),
        secure + "ssl.key.password", broker.password(),
        secure + "ssl.keystore.type", "PKCS12")));
    // KRaft keeps SCRAM credentials in its metadata log: set through the PLAINTEXT listener
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD))).all().get(30, TimeUnit.SECONDS);
    }
    stack = stacks.start(secured());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /** The settings an operator sets for such a broker. */
  private static JsonObject secured() {
    return new JsonObject()
        .put("KAFKA_BROKERS", kafka.listener().bootstrapServers())
        .put("KAFKA_REQUIRE_SSL", true)
        .put("KAFKA_USERNAME", USER)
        .put("KAFKA_PASSWORD", PASSWORD)
        .put("KAFKA_TLS_TRUSTSTORE_PATH", broker.trustStore().toString())
        .put("KAFKA_TLS_TRUSTSTORE_PASSWORD", broker.password())
        .put("KAFKA_TLS_TRUSTSTORE_TYPE", "PKCS12")
        .put("KAFKA_CONNECT_TIMEOUT_MS", 5000);
  }

  @Test
  void aNewClinicIsPublishedAndMailedThroughTheSecureListener() {
    String admin = "secure-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> created = stack.http().post("/v1/clinics")
        .bearerTokenAuthentication(stack.userToken(admin, admin + "@example.org", "Sam Secure"))
        .sendJsonObject(new JsonObject().put("name", "Harbour Clinic").put("preferredBgUnits", "mg/dL")).await();
    assertEquals(200, created.statusCode(), created.bodyAsString());

    assertEquals("New Tidepool Clinic account created", stack.mailbox().awaitFor(admin + "@example.org").subject());

    assertTrue(stack.mailbox().awaitFor(admin + "@example.org").text().contains("\"Harbour Clinic\""), stack.mailbox().awaitFor(admin + "@example.org").text());
    assertThat(TopicReader.readAtLeast(kafka.bootstrapServers(), stack.namespace().topicPrefix() + "clinic.clinics", 1))
        .anyMatch(record -> record.value().contains(created.bodyAsJsonObject().getString("id")));
  }

  @Test
  void dlqReplayRepublishesThroughTheSecureListener() throws Exception {
    Settings settings = new Settings(stack.app().config());
    String original = stack.namespace().topicPrefix() + "replayed-" + UUID.randomUUID().toString().substring(0, 8);
    String deadLetters = stack.namespace().id() + "-clinic-worker-dl";
    KafkaClients clients = KafkaClients.from(settings);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(clients.clientProperties(Map.of(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())))) {
      ProducerRecord<String, String> letter = new ProducerRecord<>(deadLetters, "the-key", "\"the parked value\"");
      letter.headers().add(DeadLetters.ORIGINAL_TOPIC, original.getBytes(StandardCharsets.UTF_8));
      producer.send(letter).get(30, TimeUnit.SECONDS);
    }

    assertEquals(1, DeadLetterReplay.replay(stack.vertx(), settings).await(2, TimeUnit.MINUTES));
    assertThat(TopicReader.readAtLeast(kafka.bootstrapServers(), original, 1))
        .extracting(TopicReader.Received::value).containsExactly("\"the parked value\"");

    Settings wrongPassword = new Settings(stack.app().config().copy().put("KAFKA_PASSWORD", "not-the-password"));
    assertThatThrownBy(() -> DeadLetterReplay.replay(stack.vertx(), wrongPassword).await(2, TimeUnit.MINUTES))
        .hasMessageContaining("refused this service");
  }

  @Test
  void aPemFileOfTheCaIsATrustStoreToo() {
    Settings pem = new Settings(stack.app().config().copy().put("KAFKA_TLS_TRUSTSTORE_TYPE", "PEM")
        .put("KAFKA_TLS_TRUSTSTORE_PATH", broker.certificatePem().toString()).put("KAFKA_TLS_TRUSTSTORE_PASSWORD", ""));
    assertThat(KafkaClients.from(pem).check()).as("no answer").isEmpty();
  }

  @Test
  void aWrongPasswordStopsStartUpNamingTheRefusal(TestStacks stacks) {
    assertThatThrownBy(() -> stacks.start(secured().put("KAFKA_PASSWORD", "not-the-password")))
        .rootCause().hasMessageContaining("refused this service").hasMessageContaining("SCRAM-SHA-512")
        .hasMessageContaining("Authentication failed");
  }

  @Test
  void theJvmsTrustAloneRefusesTheSelfSignedBrokerAtStartUp(TestStacks stacks) {
    assertThatThrownBy(() -> stacks.start(secured().put("KAFKA_TLS_TRUSTSTORE_PATH", "")))
        .rootCause().hasMessageContaining("refused this service").hasMessageContaining("SSL handshake failed");
  }

  @Test
  void withoutTlsTheBrokerIsRefusedAtStartUp(TestStacks stacks) {
    assertThatThrownBy(() -> stacks.start(secured().put("KAFKA_REQUIRE_SSL", false).put("KAFKA_TLS_TRUSTSTORE_PATH", "")))
        .rootCause().hasMessageContaining("expects TLS, but KAFKA_REQUIRE_SSL is false");
  }
}
