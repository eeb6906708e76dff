package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.config.Settings;

/**
 * The {@code dlq-replay} command: re-publishes every dead letter (of the CDC topics' and of the
 * user events' dead-letter topics) to the topic it came from, so
 * the consumer handles it again. It reads the dead-letter topic with its own consumer group and
 * commits what it replayed, so a second run replays only letters parked since. It stops at the
 * end offsets seen when it started.
 */
public final class DeadLetterReplay {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int SEND_TIMEOUT_SECONDS = 30;

  private DeadLetterReplay() {}

  /** Replays the dead letters; answers how many records it re-published. */
  public static Future<Integer> replay(Vertx vertx, Settings settings) {
    ConsumerConfig config;
    try {
      config = ConsumerConfig.from(settings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // The Kafka clients block; this is a one-off batch job, so it runs on a worker thread.
    return vertx.executeBlocking(() -> replayBlocking(config), false);
  }

  static String replayGroup(ConsumerConfig config) {
    return config.group() + "-dlq-replay";
  }

  private static int replayBlocking(ConsumerConfig config) throws Exception {
    String unanswered = config.kafka().check();
    if (!unanswered.isEmpty()) {
      throw new IllegalStateException(unanswered);
    }
    try (KafkaConsumer<byte[], byte[]> letters = new KafkaConsumer<>(consumerProperties(config));
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(config))) {
      List<TopicPartition> assigned = new java.util.ArrayList<>();
      for (String topic : config.deadLetterTopics()) {
        List<PartitionInfo> partitions = letters.partitionsFor(topic, Duration.ofSeconds(30));
        if (partitions != null) {
          partitions.forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
        }
      }
      if (assigned.isEmpty()) {
        return 0;
      }
      letters.assign(assigned);
      Map<TopicPartition, Long> end = letters.endOffsets(assigned);
      int replayed = 0;
      while (!caughtUp(letters, end)) {
        for (ConsumerRecord<byte[], byte[]> letter : letters.poll(POLL)) {
          if (letter.offset() >= end.get(new TopicPartition(letter.topic(), letter.partition()))) {
            continue; // parked after the replay started: left for the next run
          }
          String original = header(letter, DeadLetters.ORIGINAL_TOPIC);
          if (original == null) {
            log.warn("dead letter at offset {} has no {} header; skipped", letter.offset(), DeadLetters.ORIGINAL_TOPIC);
          } else {
            ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(original, letter.key(), letter.value());
            // the original headers go back with it (a CloudEvent in binary mode is its headers), ours do not
            for (Header header : letter.headers()) {
              if (!DeadLetters.ORIGIN_HEADERS.contains(header.key())) {
                again.headers().add(header);
              }
            }
            producer.send(again).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            replayed++;
          }
          letters.commitSync(Map.of(new TopicPartition(letter.topic(), letter.partition()), new OffsetAndMetadata(letter.offset() + 1)));
        }
      }
      log.info("replayed {} dead letters from {}", replayed, config.deadLetterTopics());
      return replayed;
    }
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> letters, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> letters.position(e.getKey()) >= e.getValue());
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Properties consumerProperties(ConsumerConfig config) {
    Map<String, String> properties = new HashMap<>();
    properties.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, replayGroup(config));
    properties.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return config.kafka().clientProperties(properties);
  }

  private static Properties producerProperties(ConsumerConfig config) {
    Map<String, String> settings = new HashMap<>();
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return config.kafka().clientProperties(settings);
  }
}
