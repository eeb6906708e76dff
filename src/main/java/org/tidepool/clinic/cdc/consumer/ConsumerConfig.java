package org.tidepool.clinic.cdc.consumer;

import java.util.List;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;

/**
 * Settings of the CDC consumer and of the dead-letter replay.
 *
 * @param deadLetterTopic the topic failed records are parked on: the prefix with a trailing dot
 *                        turned into a dash (Tidepool-managed topics use a dash), then
 *                        {@code KAFKA_DEAD_LETTERS_TOPIC}
 */
public record ConsumerConfig(String kafkaBrokers, String topicPrefix, String group, String deadLetterTopic,
                             RetryPolicy retry, String gatekeeperDatabase) {

  static final String HANDLER_TIMEOUT_KEY = "CDC_HANDLER_TIMEOUT_MS";

  public static ConsumerConfig from(Settings settings) {
    String prefix = settings.string("KAFKA_TOPIC_PREFIX");
    String group = settings.string("KAFKA_CONSUMER_GROUP");
    RetryPolicy retry = new RetryPolicy(
        positive(settings, "CDC_RETRY_ATTEMPTS"),
        positive(settings, "CDC_RETRY_INITIAL_DELAY_MS"),
        positive(settings, "CDC_RETRY_MAX_DELAY_MS"),
        positive(settings, HANDLER_TIMEOUT_KEY));
    if (retry.maxDelayMs() < retry.initialDelayMs()) {
      throw new ConfigException("CDC_RETRY_MAX_DELAY_MS must not be below CDC_RETRY_INITIAL_DELAY_MS");
    }
    return new ConsumerConfig(
        settings.required("KAFKA_BROKERS"),
        prefix,
        group.isEmpty() ? prefix + "clinic-worker" : group,
        dashed(prefix) + settings.required("KAFKA_DEAD_LETTERS_TOPIC"),
        retry,
        settings.required("GATEKEEPER_DATABASE_NAME"));
  }

  public String clinicsTopic() {
    return topicPrefix + "clinic.clinics";
  }

  public String cliniciansTopic() {
    return topicPrefix + "clinic.clinicians";
  }

  public List<String> topics() {
    return List.of(clinicsTopic(), cliniciansTopic());
  }

  private static String dashed(String prefix) {
    return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) + "-" : prefix;
  }

  private static int positive(Settings settings, String key) {
    int value = settings.integer(key);
    if (value < 1) {
      throw new ConfigException(key + " must be at least 1, got " + value);
    }
    return value;
  }
}
