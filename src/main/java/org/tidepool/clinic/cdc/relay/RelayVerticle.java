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
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.common.InFlight;
import org.tidepool.clinic.common.Meters;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.mongo.Lease;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.logging.RequestIds;

/**
 * Publishes the ready change records of {@code cdc_outbox} to Kafka in {@code _id} order and
 * deletes each one once Kafka has acknowledged it. A pending record at the head blocks the ones
 * behind it: its data write may still be in flight, and publishing later records first would
 * reorder the topic. Runs on a nudge from the store and on a poll timer; when Kafka refuses,
 * the records stay in the outbox and the next round starts again from the first unacknowledged.
 * A record Kafka will never take ({@link NeverPublishable}) is moved to {@link ParkedRecords}
 * instead, so that it does not stop the ones behind it.
 * Only the holder of the relay's {@link Lease} publishes; the other relays stand by.
 */
public class RelayVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RelayVerticle.class);

  static final String OUTBOX = ChangeRecorder.COLLECTION;
  static final String LEASE_COLLECTION = "cdc_relay_lease";
  private static final String LEASE_ID = "relay";
  static final long LEASE_TTL_MS = 10_000;
  private static final long LEASE_RENEWAL_MS = 2_000;
  private static final long MEASURE_MIN_PERIOD_MS = 1_000;

  private RelayConfig config;
  private MongoClient mongo;
  private KafkaProducer<String, String> producer;
  private MessageConsumer<Object> nudges;
  private Lease lease;
  private ParkedRecords parking;
  private final AtomicLong parked = new AtomicLong();
  private final InFlight rounds = new InFlight();
  private RelayMeters meters;
  private long pollTimer = -1;
  private long leaseTimer = -1;
  private long measureTimer = -1;
  private long shutdownTimeoutMs;
  private boolean publishing;
  private boolean wokenWhilePublishing;
  private boolean stopped;

  @Override
  public Future<?> start() {
    config = RelayConfig.from(new Settings(config()));
    shutdownTimeoutMs = new Settings(config()).integer("SHUTDOWN_TIMEOUT_MS");
    mongo = MongoClient.createShared(vertx, config().getJsonObject("mongo"), "clinic");
    producer = KafkaProducer.create(vertx, producerConfig(config));
    // every failed send also fails its future, which decides; unhandled, Vert.x would log each one again
    producer.exceptionHandler(failure -> log.debug("send failed: {}", failure.toString()));
    lease = new Lease(mongo, LEASE_COLLECTION, LEASE_ID, LEASE_TTL_MS);
    parking = new ParkedRecords(mongo);
    meters = new RelayMeters(Meters.of(vertx), lease::held);
    // every relay measures the outbox, the one holding the lease and the ones standing by
    measureTimer = vertx.setPeriodic(Math.max(config.pollIntervalMs(), MEASURE_MIN_PERIOD_MS), id -> measureBacklog());
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

  /**
   * Lets the round in flight finish (within the stop's deadline) so that no second relay takes
   * over while this one still sends, then gives the lease up for the next relay to take at once.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(leaseTimer);
    vertx.cancelTimer(measureTimer);
    return rounds.drained(vertx, Stopping.remainingMs(vertx, shutdownTimeoutMs))
        .compose(drained -> lease.release().otherwiseEmpty())
        .compose(released -> Future.join(nudges.unregister(), producer.close(), mongo.close()))
        .andThen(closed -> meters.close());
  }

  /** The backlog gauges: how many records wait in the outbox, and since when the oldest does. */
  private void measureBacklog() {
    FindOptions oldest = new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(1)
        .setFields(new JsonObject().put("createdTime", 1));
    mongo.count(OUTBOX, new JsonObject())
        .compose(count -> mongo.findWithOptions(OUTBOX, new JsonObject(), oldest)
            .map(head -> {
              meters.backlog(count, head.isEmpty() ? null : MongoJson.instant(head.get(0).getValue("createdTime")));
              return null;
            }))
        .onFailure(failure -> log.debug("outbox not measured: {}", failure.toString()));
  }

  /** Change records this relay has parked since it started (a counter for metrics). */
  public long parkedRecords() {
    return parked.get();
  }

  /**
   * Idempotent producer, acks from all replicas, one request in flight: Kafka keeps the order of
   * the sends. The timeouts bound how long a round waits for an unavailable broker.
   */
  static Map<String, String> producerConfig(RelayConfig config) {
    long timeoutMs = config.kafkaTimeoutMs();
    return config.kafka().clientConfig(Map.ofEntries(
        Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()),
        Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()),
        Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
        Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
        Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"),
        Map.entry(ProducerConfig.LINGER_MS_CONFIG, "0"),
        Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs / 2)),
        Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs / 2)),
        Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs)),
        Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(config.maxRequestBytes()))));
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
    rounds.track(publishReadyRecords()).onComplete(round -> {
      publishing = false;
      if (round.failed()) {
        // The records stay in the outbox; the poll timer starts the next round.
        log.warn("change records not published yet, will retry: {}", round.cause().toString());
      } else if (round.result() == config.batchSize() || wokenWhilePublishing) {
        wake();
      }
    });
  }

  /**
   * One round: publishes the ready head of the outbox; answers how many records it settled
   * (published or parked).
   */
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
    Future<?> head = send(records.get(0));
    return head.transform(headSent -> {
      List<Future<?>> sends = new ArrayList<>(records.size());
      sends.add(head);
      if (headSent.succeeded() || NeverPublishable.test(headSent.cause())) {
        for (JsonObject record : records.subList(1, records.size())) {
          sends.add(send(record));
        }
      }
      return settle(records, sends);
    });
  }

  /**
   * Walks the sends in order up to the first one refused for a reason that may pass: parks the
   * records Kafka will never take, deletes the acknowledged ones, and fails with that refusal,
   * if any. The records from there on stay for the next round.
   */
  private Future<Integer> settle(List<JsonObject> records, List<Future<?>> sends) {
    return Future.join(sends).otherwiseEmpty().compose(ignored -> {
      List<JsonObject> acknowledged = new ArrayList<>();
      Future<Void> parks = Future.succeededFuture();
      int settled = 0;
      while (settled < sends.size() && (sends.get(settled).succeeded() || NeverPublishable.test(sends.get(settled).cause()))) {
        JsonObject record = records.get(settled);
        Future<?> sent = sends.get(settled);
        if (sent.succeeded()) {
          acknowledged.add(record);
          meters.published(record);
        } else {
          parks = parks.compose(done -> park(record, sent.cause()));
        }
        settled++;
      }
      Future<Void> removal = parks.compose(done -> acknowledged.isEmpty() ? Future.succeededFuture() : delete(acknowledged));
      if (settled < sends.size()) {
        Throwable refusal = sends.get(settled).cause();
        return removal.transform(ignoredRemoval -> Future.failedFuture(refusal));
      }
      return removal.map(settled);
    });
  }

  private Future<Void> park(JsonObject record, Throwable reason) {
    return parking.park(record, reason).onSuccess(done -> {
      parked.incrementAndGet();
      meters.parked(record);
      Object documentKey = record.getValue("documentKey");
      log.error("change record {} ({} {} of {}) parked in {}, not published: {}; list and retry with "
              + "'clinic-service parked'", hexId(record.getValue("_id")), record.getValue("operationType"),
          record.getValue("coll"), documentKey instanceof JsonObject key ? hexId(key.getValue("_id")) : documentKey,
          ParkedRecords.COLLECTION, reason.toString());
    });
  }

  private static String hexId(Object id) {
    return id instanceof JsonObject object ? object.getString("$oid") : String.valueOf(id);
  }

  private Future<?> send(JsonObject record) {
    KafkaProducerRecord<String, String> kafkaRecord;
    try {
      JsonObject event = record.getJsonObject("event");
      String coll = Objects.requireNonNull(record.getString("coll"), "coll");
      String key = StrictJson.formatA(record.getJsonObject("documentKey", event.getJsonObject("documentKey")));
      String value = StrictJson.changeEvent(SourcePipelines.published(coll, event));
      kafkaRecord = KafkaProducerRecord.create(config.topicOf(coll), key, value);
      String requestId = record.getString("requestId");
      if (requestId != null) {
        kafkaRecord.addHeader(RequestIds.HEADER, requestId);
      }
    } catch (RuntimeException malformed) {
      return Future.failedFuture(new MalformedChangeRecord(malformed));
    }
    return producer.send(kafkaRecord);
  }

  private Future<Void> delete(List<JsonObject> published) {
    JsonArray ids = new JsonArray();
    published.forEach(record -> ids.add(record.getValue("_id")));
    return mongo.removeDocuments(OUTBOX, new JsonObject().put("_id", new JsonObject().put("$in", ids))).mapEmpty();
  }
}
