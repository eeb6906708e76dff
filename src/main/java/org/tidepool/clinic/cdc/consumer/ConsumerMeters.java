package org.tidepool.clinic.cdc.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The consumer's meters, per topic: records handled, retries, records parked on the dead-letter
 * topic; and the Kafka client's own metrics (micrometer's {@link KafkaClientMetrics}), among
 * them the fetcher's lag per partition, {@code kafka_consumer_fetch_manager_records_lag} (registered
 * by the binder's refresh, up to a minute after a partition's first fetch); and our own lag per
 * topic, {@code clinic_cdc_consumer_lag}: the end offsets minus the next record to finish.
 */
final class ConsumerMeters implements AutoCloseable {
  private final MeterRegistry registry;
  private final KafkaClientMetrics kafkaMetrics;

  private final Map<String, AtomicLong> lag = new HashMap<>();
  private final List<Meter> gauges = new ArrayList<>();

  ConsumerMeters(MeterRegistry registry, Consumer<?, ?> consumer, List<String> topics) {
    this.registry = registry;
    this.kafkaMetrics = new KafkaClientMetrics(consumer);
    kafkaMetrics.bindTo(registry);
    for (String topic : topics) {
      AtomicLong records = new AtomicLong();
      lag.put(topic, records);
      gauges.add(Gauge.builder("clinic.cdc.consumer.lag", records, AtomicLong::get)
          .description("records of the topic's assigned partitions not yet finished by this consumer")
          .tag("topic", topic).register(registry));
    }
  }

  /** The lag per topic, summed over its partitions assigned to this consumer (a topic without any: 0). */
  void lag(Map<String, Long> recordsByTopic) {
    lag.forEach((topic, records) -> records.set(recordsByTopic.getOrDefault(topic, 0L)));
  }

  void handled(String topic) {
    count("clinic.cdc.consumer.records", "change records handled", topic);
  }

  void retried(String topic) {
    count("clinic.cdc.consumer.retries", "retries of a change record's handling", topic);
  }

  void deadLettered(String topic) {
    count("clinic.cdc.consumer.dead.letters", "change records parked on the dead-letter topic", topic);
  }

  private void count(String name, String description, String topic) {
    Counter.builder(name).description(description).tag("topic", topic).register(registry).increment();
  }

  @Override
  public void close() {
    kafkaMetrics.close();
    gauges.forEach(registry::remove);
  }
}
