package org.tidepool.clinic.cdc.relay;

import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.KafkaClients;

/**
 * Settings of the relay.
 *
 * @param kafka          the brokers and how to reach them
 * @param pollIntervalMs how often the outbox is read when no nudge arrives; also the pause
 *                       before retrying after Kafka refused a batch
 * @param batchSize      change records read and published per round
 * @param kafkaTimeoutMs the longest a send waits for Kafka before the round gives up and the
 *                       records wait for the next one
 * @param maxRequestBytes the producer's {@code max.request.size}: a larger change record is
 *                        parked (keep it at or below the broker's {@code message.max.bytes})
 */
public record RelayConfig(KafkaClients kafka, String topicPrefix, long pollIntervalMs, int batchSize, long kafkaTimeoutMs,
                          int maxRequestBytes) {

  static final String POLL_INTERVAL_KEY = "CDC_RELAY_POLL_INTERVAL_MS";
  /** Not a setting: the round size only bounds one read of the outbox. */
  static final int BATCH_SIZE = 200;
  static final String KAFKA_TIMEOUT_KEY = "CDC_RELAY_KAFKA_TIMEOUT_MS";
  static final String MAX_REQUEST_BYTES_KEY = "CDC_RELAY_MAX_REQUEST_BYTES";

  public static RelayConfig from(Settings settings) {
    return new RelayConfig(KafkaClients.from(settings), KafkaClients.topicPrefix(settings),
        atLeast(settings, POLL_INTERVAL_KEY, 1), BATCH_SIZE, atLeast(settings, KAFKA_TIMEOUT_KEY, 100),
        maxRequestBytes(settings));
  }

  /** Never below a small record's size. */
  private static int maxRequestBytes(Settings settings) {
    int value = settings.integer(MAX_REQUEST_BYTES_KEY);
    if (value < 1024) {
      throw new ConfigException(MAX_REQUEST_BYTES_KEY + " must be at least 1024, got " + value);
    }
    return value;
  }

  private static long atLeast(Settings settings, String key, long minimum) {
    long value = settings.integer(key);
    if (value < minimum) {
      throw new ConfigException(key + " must be at least " + minimum + ", got " + value);
    }
    return value;
  }

  /** The topic of a published collection, as the MongoDB source connector names it. */
  public String topicOf(String collection) {
    return topicPrefix + "clinic." + collection;
  }
}
