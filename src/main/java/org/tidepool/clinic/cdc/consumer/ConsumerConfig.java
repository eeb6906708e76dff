package org.tidepool.clinic.cdc.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.KafkaClients;

/**
 * Settings of the CDC consumer and of the dead-letter replay.
 *
 * @param kafka           the brokers and how to reach them
 * @param deadLetterTopic the topic failed CDC records are parked on: the prefix with a trailing
 *                        dot turned into a dash (Tidepool-managed topics use a dash), then
 *                        {@code CDC_DEAD_LETTERS_TOPIC}
 * @param userEventsDeadLetterTopic the one of the user events, as upstream's: the dashed prefix,
 *                        then {@code KAFKA_DEAD_LETTERS_TOPIC} ({@code user-events-clinic-worker-dl})
 * @param instanceId      the consumer's static group membership ({@code group.instance.id}), so
 *                        that a restarted process takes its partitions back at once instead of
 *                        waiting out its dead predecessor's session; empty = dynamic membership
 */
public record ConsumerConfig(KafkaClients kafka, String topicPrefix, String group, String deadLetterTopic,
                             String userEventsDeadLetterTopic, RetryPolicy retry, String gatekeeperDatabase, String instanceId) {

  static final String INSTANCE_ID_KEY = "KAFKA_CONSUMER_INSTANCE_ID";
  static final String HANDLER_TIMEOUT_KEY = "CDC_HANDLER_TIMEOUT_MS";

  public static ConsumerConfig from(Settings settings) {
    String prefix = KafkaClients.topicPrefix(settings);
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
        KafkaClients.from(settings),
        prefix,
        group.isEmpty() ? prefix + "clinic-worker" : group,
        dashed(prefix) + settings.required("CDC_DEAD_LETTERS_TOPIC"),
        dashed(prefix) + settings.required("KAFKA_DEAD_LETTERS_TOPIC"),
        retry,
        settings.required("GATEKEEPER_DATABASE_NAME"),
        instanceId(settings));
  }

  /**
   * {@code KAFKA_CONSUMER_INSTANCE_ID}, else one derived from this host and the absolute
   * {@code DATA_DIR}: the same process restarted finds it again, two processes of one group on
   * different hosts or data directories get different ones (two members with one id fence each
   * other). Without either there is no static membership.
   */
  static String instanceId(Settings settings) {
    String configured = settings.string(INSTANCE_ID_KEY);
    if (!configured.isEmpty()) {
      if (!KafkaClients.LEGAL_NAME.matcher(configured).matches()) {
        throw new ConfigException(INSTANCE_ID_KEY + " may hold at most 249 of a-z A-Z 0-9 . _ -, got '" + configured + "'");
      }
      return configured;
    }
    String dataDir = settings.string("DATA_DIR");
    if (dataDir.isEmpty()) {
      return "";
    }
    String host = hostName().replaceAll("[^A-Za-z0-9._-]", "_");
    String where = Path.of(dataDir).toAbsolutePath().normalize().toString();
    return "clinic-worker-" + (host.length() > 64 ? host.substring(0, 64) : host) + "-" + shortHash(where);
  }

  /** The host's name without a name-service lookup (the consumer starts on an event loop). */
  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment;
    }
    try {
      return Files.readString(Path.of("/etc/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown-host";
    }
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public String clinicsTopic() {
    return topicPrefix + "clinic.clinics";
  }

  public String cliniciansTopic() {
    return topicPrefix + "clinic.clinicians";
  }

  public String patientsTopic() {
    return topicPrefix + "clinic.patients";
  }

  public String patientDeletionsTopic() {
    return topicPrefix + "clinic.patient_deletions";
  }

  public String migrationsTopic() {
    return topicPrefix + "clinic.migrations";
  }

  /** Tidepool-managed, so with the dashed prefix (as upstream). */
  public String userEventsTopic() {
    return dashed(topicPrefix) + "user-events";
  }

  /** The platform's data sources (Kafka Connect on {@code tidepool.data_sources}). */
  public String dataSourcesTopic() {
    return topicPrefix + "tidepool.data_sources";
  }

  /** The platform's patient summaries (Kafka Connect on {@code data.summary}). */
  public String summariesTopic() {
    return topicPrefix + "data.summary";
  }

  public List<String> topics() {
    return List.of(clinicsTopic(), cliniciansTopic(), patientsTopic(), patientDeletionsTopic(), migrationsTopic(), userEventsTopic(), dataSourcesTopic(),
        summariesTopic());
  }

  /** Where a failed record of this topic is parked. */
  public String deadLetterTopicFor(String topic) {
    return topic.equals(userEventsTopic()) ? userEventsDeadLetterTopic : deadLetterTopic;
  }

  /** Every dead-letter topic, for the replay. */
  public List<String> deadLetterTopics() {
    return List.of(deadLetterTopic, userEventsDeadLetterTopic);
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
