package org.tidepool.clinic.cdc.relay;

import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;

/**
 * Settings of the relay.
 *
 * @param pollIntervalMs how often the outbox is read when no nudge arrives; also the pause
 *                       before retrying after Kafka refused a batch
 * @param batchSize      change records read and published per round
 */
public record RelayConfig(String kafkaBrokers, String topicPrefix, long pollIntervalMs, int batchSize) {

  static final String POLL_INTERVAL_KEY = "CDC_RELAY_POLL_INTERVAL_MS";
  static final long DEFAULT_POLL_INTERVAL_MS = 500;
  static final int DEFAULT_BATCH_SIZE = 200;

  public static RelayConfig from(Settings settings) {
    long pollInterval = settings.string(POLL_INTERVAL_KEY).isEmpty()
        ? DEFAULT_POLL_INTERVAL_MS : settings.integer(POLL_INTERVAL_KEY);
    if (pollInterval < 1) {
      throw new ConfigException(POLL_INTERVAL_KEY + " must be at least 1, got " + pollInterval);
    }
    return new RelayConfig(settings.required("KAFKA_BROKERS"), settings.string("KAFKA_TOPIC_PREFIX"),
        pollInterval, DEFAULT_BATCH_SIZE);
  }

  /** The topic of a published collection, as the MongoDB source connector names it. */
  public String topicOf(String collection) {
    return topicPrefix + "clinic." + collection;
  }
}
