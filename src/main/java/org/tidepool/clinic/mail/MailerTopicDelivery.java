package org.tidepool.clinic.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.serialization.BufferSerializer;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.CloudEvent;
import org.tidepool.clinic.common.ServiceError;

/**
 * Hands the mail to Tidepool's mailer: a CloudEvent {@value #TYPE} with data
 * {@code {recipient, template, variables}} ({@code variables} null when there are none) on
 * {@code <prefix>emails}, key = recipient, source = the consumer group, as go-common's mailer
 * client sends it. The event id is derived from the dedup key, so a mail handed over twice
 * (a crash before it was logged as sent) carries the same id.
 */
final class MailerTopicDelivery implements MailDelivery {
  private static final Logger log = LoggerFactory.getLogger(MailerTopicDelivery.class);
  static final String TYPE = "email_template:send";

  private final MailConfig config;
  private final KafkaProducer<Buffer, Buffer> producer;

  MailerTopicDelivery(Vertx vertx, MailConfig config) {
    this.config = config;
    this.producer = KafkaProducer.create(vertx, Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBrokers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, BufferSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, BufferSerializer.class.getName(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000"));
  }

  @Override
  public Future<Void> deliver(SendRequest request) {
    JsonObject data = new JsonObject()
        .put("recipient", request.recipient())
        .put("template", request.template())
        .put("variables", request.variables().isEmpty() ? null : stringsOnly(request.variables()));
    CloudEvent event = CloudEvent.of(request.dedupKey(), config.cloudEventsSource(), TYPE, data);
    KafkaProducerRecord<Buffer, Buffer> record = KafkaProducerRecord.create(config.mailerTopic(),
        Buffer.buffer(request.recipient()), data.toBuffer());
    event.binaryHeaders().forEach(record::addHeader);
    return producer.send(record)
        .recover(e -> {
          log.warn("mail: Kafka did not take {} to {} for {}: {}", request.template(), request.recipient(), config.mailerTopic(), e.toString());
          return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, "mailer topic unavailable"));
        })
        .mapEmpty();
  }

  /** The mailer's variables are string to string. */
  private static JsonObject stringsOnly(JsonObject variables) {
    JsonObject strings = new JsonObject();
    variables.forEach(entry -> strings.put(entry.getKey(), entry.getValue() == null ? "" : String.valueOf(entry.getValue())));
    return strings;
  }

  @Override
  public String describe() {
    return "CloudEvents " + TYPE + " on " + config.mailerTopic();
  }

  @Override
  public Future<Void> close() {
    return producer.close();
  }
}
