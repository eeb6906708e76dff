package org.tidepool.clinic.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.cdc.consumer.ConsumerConfig;
import org.tidepool.clinic.cdc.relay.RelayConfig;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.mail.MailConfig;
import org.tidepool.clinic.testing.PackagedDefaults;

/** Upstream's Kafka settings as client properties: the mapping every client of the service gets. */
class KafkaClientsTest {

  private static Map<String, String> clientConfig(JsonObject values) {
    return KafkaClients.from(PackagedDefaults.settings(values.put("KAFKA_BROKERS", "kafka:9093"))).clientConfig();
  }

  @Test
  void byDefaultPlaintextWithoutSasl() {
    assertThat(clientConfig(new JsonObject())).containsEntry("security.protocol", "PLAINTEXT")
        .containsEntry("bootstrap.servers", "kafka:9093").doesNotContainKeys("sasl.mechanism", "sasl.jaas.config");
  }

  @Test
  void requireSslWithCredentialsIsSaslSslWithScramSha512AndTheJvmTrust() {
    Map<String, String> config = clientConfig(new JsonObject().put("KAFKA_REQUIRE_SSL", "true")
        .put("KAFKA_USERNAME", "clinic").put("KAFKA_PASSWORD", "p\"w"));
    assertThat(config).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"clinic\" password=\"p\\\"w\";")
        .doesNotContainKey("ssl.truststore.location");
  }

  @Test
  void credentialsWithoutSslAreSaslPlaintextAndSslWithoutCredentialsIsSsl() {
    assertThat(clientConfig(new JsonObject().put("KAFKA_USERNAME", "u").put("KAFKA_PASSWORD", "p")))
        .containsEntry("security.protocol", "SASL_PLAINTEXT");
    assertThat(clientConfig(new JsonObject().put("KAFKA_REQUIRE_SSL", "true"))).containsEntry("security.protocol", "SSL");
  }

  @Test
  void aPemTrustStoreNeedsNoPassword() {
    assertThat(clientConfig(new JsonObject().put("KAFKA_REQUIRE_SSL", "true").put("KAFKA_TLS_TRUSTSTORE_PATH", "/ca.pem")
        .put("KAFKA_TLS_TRUSTSTORE_TYPE", "pem").put("KAFKA_TLS_TRUSTSTORE_PASSWORD", "ignored")))
        .containsEntry("ssl.truststore.location", "/ca.pem").containsEntry("ssl.truststore.type", "PEM")
        .doesNotContainKey("ssl.truststore.password");
  }

  @Test
  void halfASetOfCredentialsOrATrustStoreWithoutTlsIsAConfigurationError() {
    assertThatThrownBy(() -> clientConfig(new JsonObject().put("KAFKA_USERNAME", "u")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_USERNAME and KAFKA_PASSWORD go together");
    assertThatThrownBy(() -> clientConfig(new JsonObject().put("KAFKA_TLS_TRUSTSTORE_PATH", "/ts.p12")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_REQUIRE_SSL is false");
    assertThatThrownBy(() -> clientConfig(new JsonObject().put("KAFKA_USERNAME", "u").put("KAFKA_PASSWORD", "p")
        .put("KAFKA_SASL_MECHANISM", "GSSAPI"))).isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_SASL_MECHANISM");
  }

  @Test
  void aTopicPrefixKafkaWouldRefuseStopsTheRelayTheConsumerAndTheMailerAtStartUp() {
    for (String bad : List.of("tidepool prod.", "clinic/", "ü.", "x".repeat(210))) {
      Settings settings = PackagedDefaults.settings(new JsonObject().put("KAFKA_TOPIC_PREFIX", bad)
          .put("KAFKA_BROKERS", "kafka:9093").put("mongo", new JsonObject()));
      for (ThrowingCallable reader : List.<ThrowingCallable>of(() -> RelayConfig.from(settings), () -> ConsumerConfig.from(settings),
          () -> MailConfig.from(settings))) {
        assertThatThrownBy(reader).isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_TOPIC_PREFIX").hasMessageContaining(bad);
      }
    }
    Settings upstreamLike = PackagedDefaults.settings(new JsonObject().put("KAFKA_TOPIC_PREFIX", "qa2.")
        .put("KAFKA_BROKERS", "kafka:9093"));
    assertThat(RelayConfig.from(upstreamLike).topicPrefix()).isEqualTo("qa2.");
    assertThat(ConsumerConfig.from(upstreamLike).topicPrefix()).isEqualTo("qa2.");
  }
}
