package org.tidepool.clinic.cdc.relay;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.config.Settings;

/**
 * Publishes the ready change records of {@code cdc_outbox} to Kafka in {@code _id} order and
 * deletes each one once Kafka has acknowledged it. A pending record at the head blocks the ones
 * behind it: its data write may still be in flight, and publishing later records first would
 * reorder the topic. Runs on a nudge from the store and on a poll timer; when Kafka refuses,
 * the records stay in the outbox and the next round starts again from the first unacknowledged.
 * Only the holder of the {@link RelayLease} publishes; the other relays stand by.
 */
public class RelayVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RelayVerticle.class);

  static final String OUTBOX = ChangeRecorder.COLLECTION;
  static final long LEASE_TTL_MS = 10_000;
  private static final long LEASE_RENEWAL_MS = 2_000;

  private RelayConfig config;
  private MongoClient mongo;
  private KafkaProducer<String, String> producer;
  private MessageConsumer<Object> nudges;
  private RelayLease lease;
  private long pollTimer = -1;
  private long leaseTimer = -1;
  private boolean publishing;
  private boolean wokenWhilePublishing;
  private boolean stopped;

  @Override
  public Future<?> start() {
    config = RelayConfig.from(new Settings(config()));
    mongo = MongoClient.createShared(vertx, config().getJsonObject("mongo"), "clinic");
    producer = KafkaProducer.create(vertx, producerConfig(config.kafkaBrokers(), config.kafkaTimeoutMs()));
    lease = new RelayLease(mongo, LEASE_TTL_MS);
    nudges = vertx.eventBus().consumer(ChangeRecorder.RECORDS_READY, message -> wake());
    pollTimer = vertx.setPeriodic(config.pollIntervalMs(), id -> wake());
    leaseTimer = vertx.setPeriodic(LEASE_RENEWAL_MS, id -> renewLease());
    renewLease();
    return nudges.completion();
  }

  private void renewLease() {
    lease.renew()
        .onSuccess(holding -> {
          if (holding) {
            wake();
          }
        })
        .onFailure(failure -> log.warn("relay lease not renewed: {}", failure.toString()));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(leaseTimer);
    return lease.release().otherwiseEmpty()
        .compose(released -> Future.join(nudges.unregister(), producer.close(), mongo.close()));
  }

  /**
   * Idempotent producer, acks from all replicas, one request in flight: Kafka keeps the order of
   * the sends. The timeouts bound how long a round waits for an unavailable broker.
   */
  static Map<String, String> producerConfig(String brokers, long timeoutMs) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
        ProducerConfig.LINGER_MS_CONFIG, "0",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs / 2),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs / 2),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
  }

  private void wake() {
    if (stopped || !lease.held()) {
      return;
    }
    if (publishing) {
      wokenWhilePublishing = true;
      return;
    }
    publishing = true;
    wokenWhilePublishing = false;
    publishReadyRecords().onComplete(round -> {
      publishing = false;
      if (round.failed()) {
        // The records stay in the outbox; the poll timer starts the next round.
        log.warn("change records not published yet, will retry: {}", round.cause().toString());
      } else if (round.result() == config.batchSize() || wokenWhilePublishing) {
        wake();
      }
    });
  }

  /** One round: publishes the ready head of the outbox; answers how many records it published. */
  private Future<Integer> publishReadyRecords() {
    FindOptions headFirst = new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(config.batchSize());
    return mongo.findWithOptions(OUTBOX, new JsonObject(), headFirst)
        .compose(records -> {
          List<JsonObject> ready = readyHead(records);
          return ready.isEmpty() ? Future.succeededFuture(0) : publishInOrder(ready);
        });
  }

  private static List<JsonObject> readyHead(List<JsonObject> records) {
    List<JsonObject> ready = new ArrayList<>();
    for (JsonObject record : records) {
      if (!"ready".equals(record.getString("state"))) {
        break;
      }
      ready.add(record);
    }
    return ready;
  }

  /**
   * Sends the head alone, then the rest pipelined: when Kafka is away the round ends after one
   * bounded wait instead of one wait per record.
   */
  private Future<Integer> publishInOrder(List<JsonObject> records) {
    return send(records.get(0)).compose(head -> {
      List<Future<?>> sends = new ArrayList<>(records.size());
      sends.add(Future.succeededFuture());
      for (JsonObject record : records.subList(1, records.size())) {
        sends.add(send(record));
      }
      return deleteAcknowledged(records, sends);
    });
  }

  /** Deletes the records up to the first refused one; fails with that refusal, if any. */
  private Future<Integer> deleteAcknowledged(List<JsonObject> records, List<Future<?>> sends) {
    return Future.join(sends).otherwiseEmpty().compose(ignored -> {
      int acknowledged = 0;
      while (acknowledged < sends.size() && sends.get(acknowledged).succeeded()) {
        acknowledged++;
      }
      Future<Void> removal = acknowledged == 0 ? Future.succeededFuture() : delete(records.subList(0, acknowledged));
      if (acknowledged < sends.size()) {
        Throwable refusal = sends.get(acknowledged).cause();
        return removal.transform(ignoredRemoval -> Future.failedFuture(refusal));
      }
      int published = acknowledged;
      return removal.map(published);
    });
  }

  private Future<?> send(JsonObject record) {
    try {
      JsonObject event = record.getJsonObject("event");
      String key = StrictJson.formatA(record.getJsonObject("documentKey", event.getJsonObject("documentKey")));
      String value = StrictJson.changeEvent(event);
      return producer.send(KafkaProducerRecord.create(config.topicOf(record.getString("coll")), key, value));
    } catch (RuntimeException malformed) {
      // Only a bug in the recorder gets here; the record blocks the outbox until someone looks.
      log.error("change record {} cannot be published", record.getValue("_id"), malformed);
      return Future.failedFuture(malformed);
    }
  }

  private Future<Void> delete(List<JsonObject> published) {
    JsonArray ids = new JsonArray();
    published.forEach(record -> ids.add(record.getValue("_id")));
    return mongo.removeDocuments(OUTBOX, new JsonObject().put("_id", new JsonObject().put("$in", ids))).mapEmpty();
  }
}
