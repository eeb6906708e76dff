package org.tidepool.clinic.cdc.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.PackagedDefaults;

class ConsumerConfigTest {

  private static JsonObject settings(String prefix) {
    return PackagedDefaults.with(new JsonObject()
        .put("KAFKA_BROKERS", "127.0.0.1:9092")
        .put("KAFKA_TOPIC_PREFIX", prefix)
        .put("KAFKA_CONSUMER_GROUP", "")
        .put("KAFKA_DEAD_LETTERS_TOPIC", "user-events-clinic-worker-dl")
        .put("CDC_DEAD_LETTERS_TOPIC", "clinic-worker-dl")
        .put("CDC_RETRY_ATTEMPTS", "5")
        .put("CDC_RETRY_INITIAL_DELAY_MS", "200")
        .put("CDC_RETRY_MAX_DELAY_MS", "5000")
        .put("GATEKEEPER_DATABASE_NAME", "gatekeeper"));
  }

  @Test
  void namesTopicsGroupAndDeadLettersAsTheClinicWorkerDoes() {
    ConsumerConfig config = ConsumerConfig.from(new Settings(settings("qa1.")));

    assertEquals(List.of("qa1.clinic.clinics", "qa1.clinic.clinicians", "qa1.clinic.patients", "qa1.clinic.patient_deletions",
        "qa1.clinic.migrations", "qa1-user-events", "qa1.tidepool.data_sources", "qa1.data.summary"), config.topics());
    assertEquals("qa1.clinic-worker", config.group());
    assertEquals("qa1-clinic-worker-dl", config.deadLetterTopic());
    assertEquals("qa1-user-events-clinic-worker-dl", config.deadLetterTopicFor("qa1-user-events"));
    assertEquals("qa1-clinic-worker-dl", config.deadLetterTopicFor("qa1.clinic.patients"));
    assertEquals(new RetryPolicy(5, 200, 5000, 30_000), config.retry());
  }

  @Test
  void withoutAPrefixTheNamesAreBare() {
    ConsumerConfig config = ConsumerConfig.from(new Settings(settings("").put("KAFKA_CONSUMER_GROUP", "my-group")));

    assertEquals(List.of("clinic.clinics", "clinic.clinicians", "clinic.patients", "clinic.patient_deletions", "clinic.migrations", "user-events",
        "tidepool.data_sources", "data.summary"),
        config.topics());
    assertEquals("my-group", config.group());
    assertEquals("clinic-worker-dl", config.deadLetterTopic());
    assertEquals("user-events-clinic-worker-dl", config.userEventsDeadLetterTopic());
  }

  @Test
  void badRetrySettingsAreRefusedByName() {
    ConfigException zero = assertThrows(ConfigException.class,
        () -> ConsumerConfig.from(new Settings(settings("").put("CDC_RETRY_ATTEMPTS", "0"))));
    assertTrue(zero.getMessage().contains("CDC_RETRY_ATTEMPTS"), zero.getMessage());
    ConfigException text = assertThrows(ConfigException.class,
        () -> ConsumerConfig.from(new Settings(settings("").put("CDC_RETRY_MAX_DELAY_MS", "soon"))));
    assertTrue(text.getMessage().contains("CDC_RETRY_MAX_DELAY_MS"), text.getMessage());
    ConfigException inverted = assertThrows(ConfigException.class,
        () -> ConsumerConfig.from(new Settings(settings("").put("CDC_RETRY_MAX_DELAY_MS", "100"))));
    assertTrue(inverted.getMessage().contains("CDC_RETRY_MAX_DELAY_MS"), inverted.getMessage());
    ConfigException timeout = assertThrows(ConfigException.class,
        () -> ConsumerConfig.from(new Settings(settings("").put("CDC_HANDLER_TIMEOUT_MS", "0"))));
    assertTrue(timeout.getMessage().contains("CDC_HANDLER_TIMEOUT_MS"), timeout.getMessage());
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    RetryPolicy policy = new RetryPolicy(6, 200, 1000, 30_000);
    assertEquals(List.of(200L, 400L, 800L, 1000L, 1000L),
        List.of(policy.delayBefore(1), policy.delayBefore(2), policy.delayBefore(3), policy.delayBefore(4), policy.delayBefore(5)));
  }

  @Test
  void theStaticMemberIdIsStablePerDataDirAndDiffersBetweenDataDirs() {
    JsonObject base = settings("");
    String first = ConsumerConfig.from(new Settings(base.copy().put("DATA_DIR", "/var/clinic/a"))).instanceId();

    assertEquals(first, ConsumerConfig.from(new Settings(base.copy().put("DATA_DIR", "/var/clinic/a/"))).instanceId());
    assertNotEquals(first, ConsumerConfig.from(new Settings(base.copy().put("DATA_DIR", "/var/clinic/b"))).instanceId());
    assertTrue(first.matches("[A-Za-z0-9._-]{1,249}"), first);
    assertEquals("worker-pod-3", ConsumerConfig.from(new Settings(base.copy().put("DATA_DIR", "/var/clinic/a")
        .put("KAFKA_CONSUMER_INSTANCE_ID", "worker-pod-3"))).instanceId());
    // the packaged defaults hold DATA_DIR: data
    assertEquals("", ConsumerConfig.from(new Settings(base.copy().put("DATA_DIR", ""))).instanceId(),
        "no DATA_DIR, no id: dynamic membership");
  }

  @Test
  void anInstanceIdKafkaWouldRefuseIsAConfigurationError() {
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ConsumerConfig.from(new Settings(settings("").put("KAFKA_CONSUMER_INSTANCE_ID", "pod 3/a"))));
    assertTrue(refused.getMessage().contains("KAFKA_CONSUMER_INSTANCE_ID"), refused.getMessage());
  }
}
