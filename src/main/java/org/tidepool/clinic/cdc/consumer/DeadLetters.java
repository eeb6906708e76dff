package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parks records that could not be handled on the dead-letter topic, with where they came from. */
public final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  public static final String ORIGINAL_TOPIC = "original-topic";
  public static final String ORIGINAL_PARTITION = "original-partition";
  public static final String ORIGINAL_OFFSET = "original-offset";
  public static final String ERROR = "error";
  /** The headers a dead letter gets besides the original record's. */
  public static final java.util.Set<String> ORIGIN_HEADERS = java.util.Set.of(ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET, ERROR);
  private static final int MAX_ERROR_LENGTH = 2000;

  private final Vertx vertx;
  private final KafkaProducer<Buffer, Buffer> producer;
  private final java.util.function.UnaryOperator<String> topicFor;
  private final long retryDelayMs;

  /** {@code topicFor}: the dead-letter topic of a record's topic. */
  public DeadLetters(Vertx vertx, KafkaProducer<Buffer, Buffer> producer, java.util.function.UnaryOperator<String> topicFor,
                     long retryDelayMs) {
    this.vertx = vertx;
    this.producer = producer;
    this.topicFor = topicFor;
    this.retryDelayMs = retryDelayMs;
  }

  /**
   * Publishes the record as it arrived (key, value, headers) plus the origin headers. Retries
   * until Kafka takes it, or until {@code stopped}: the record is committed only after this.
   */
  public Future<Void> park(KafkaConsumerRecord<Buffer, Buffer> record, Throwable failure, BooleanSupplier stopped) {
    KafkaProducerRecord<Buffer, Buffer> letter = KafkaProducerRecord.create(topicFor.apply(record.topic()), record.key(), record.value());
    for (KafkaHeader header : record.headers()) {
      letter.addHeader(header);
    }
    letter.addHeader(ORIGINAL_TOPIC, record.topic())
        .addHeader(ORIGINAL_PARTITION, String.valueOf(record.partition()))
        .addHeader(ORIGINAL_OFFSET, String.valueOf(record.offset()))
        .addHeader(ERROR, describe(failure));
    return publish(letter, stopped);
  }

  private Future<Void> publish(KafkaProducerRecord<Buffer, Buffer> letter, BooleanSupplier stopped) {
    return producer.send(letter).<Void>mapEmpty().recover(refused -> {
      if (stopped.getAsBoolean()) {
        return Future.failedFuture(refused);
      }
      log.warn("dead letter not accepted by Kafka yet, retrying: {}", refused.toString());
      return vertx.timer(retryDelayMs).compose(ignored -> publish(letter, stopped));
    });
  }

  private static String describe(Throwable failure) {
    String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
  }
}
