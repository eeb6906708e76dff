package org.tidepool.clinic.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning in a test, with a fresh consumer group each time. */
public final class TopicReader {
  private TopicReader() {}

  public record Received(String key, String value, Map<String, String> headers) {}

  /** Waits (up to 30 s) until the topic holds at least {@code count} records; returns all read. */
  public static List<Received> readAtLeast(String bootstrapServers, String topic, int count) {
    return readUntil(bootstrapServers, topic, received -> received.size() >= count);
  }

  /** The first record that matches, waiting up to 30 s for it (fails when none comes). */
  public static Received first(String bootstrapServers, String topic, java.util.function.Predicate<Received> matching) {
    return readUntil(bootstrapServers, topic, received -> received.stream().anyMatch(matching)).stream().filter(matching).findFirst()
        .orElseThrow(() -> new AssertionError("no matching record on " + topic + " within 30 s"));
  }

  private static List<Received> readUntil(String bootstrapServers, String topic, java.util.function.Predicate<List<Received>> enough) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<Received> received = new ArrayList<>();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      while (!enough.test(received) && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          Map<String, String> headers = new HashMap<>();
          for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
          }
          received.add(new Received(record.key(), record.value(), headers));
        }
      }
    }
    return received;
  }
}
