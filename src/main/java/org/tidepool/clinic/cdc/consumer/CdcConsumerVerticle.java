package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.serialization.BufferDeserializer;
import io.vertx.kafka.client.serialization.BufferSerializer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.gatekeeper.PermissionsProjection;
import org.tidepool.clinic.cdc.consumer.handlers.ClinicCreatedMail;
import org.tidepool.clinic.cdc.consumer.handlers.ClinicianNotices;
import org.tidepool.clinic.cdc.consumer.handlers.ClinicianPermissionsMail;
import org.tidepool.clinic.cdc.consumer.handlers.DeletedPatientTagRipple;
import org.tidepool.clinic.cdc.consumer.handlers.MailRequests;
import org.tidepool.clinic.common.InFlight;
import org.tidepool.clinic.common.Meters;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.KafkaClients;
import org.tidepool.clinic.logging.RequestIds;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * Consumes the clinic CDC topics and runs their handlers. Records are handled one at a time and
 * a record's offset is committed only once it is finished: handled, or (after the bounded
 * retries) parked on the dead-letter topic. Delivery is therefore at least once, which the
 * handlers tolerate (mails are deduplicated, projections are upserts).
 */
public class CdcConsumerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CdcConsumerVerticle.class);

  private final UserDirectory users;
  private ConsumerConfig config;
  private MongoClient gatekeeper;
  private KafkaConsumer<Buffer, Buffer> consumer;
  private KafkaProducer<Buffer, Buffer> producer;
  private ChangeDispatcher dispatcher;
  private DeadLetters deadLetters;
  private final ArrayDeque<KafkaConsumerRecord<Buffer, Buffer>> backlog = new ArrayDeque<>();
  private boolean handling;
  private volatile boolean stopped;
  private final InFlight inHand = new InFlight();
  private Future<Void> lastCommit = Future.succeededFuture();
  private ConsumerMeters meters;
  private long shutdownTimeoutMs;
  private static final long LAG_PERIOD_MS = 5_000;
  private long lagTimer = -1;
  /** Per partition: the offset after the last record finished here (handled or dead-lettered). */
  private final Map<TopicPartition, Long> nextToFinish = new HashMap<>();

  public CdcConsumerVerticle(UserDirectory users) {
    this.users = users;
  }

  @Override
  public Future<?> start() {
    config = ConsumerConfig.from(new Settings(config()));
    shutdownTimeoutMs = new Settings(config()).integer("SHUTDOWN_TIMEOUT_MS");
    JsonObject gatekeeperMongo = config().getJsonObject("mongo").copy().put("db_name", config.gatekeeperDatabase());
    gatekeeper = MongoClient.createShared(vertx, gatekeeperMongo, "gatekeeper");
    PermissionsProjection clinicianPermissions = new PermissionsProjection(gatekeeper, PermissionsProjection.CLINICIANS);
    PermissionsProjection patientPermissions = new PermissionsProjection(gatekeeper, PermissionsProjection.PATIENTS);
    MailRequests mail = new MailRequests(vertx.eventBus());
    dispatcher = new ChangeDispatcher(Map.of(
        config.clinicsTopic(), List.of(new ClinicCreatedMail(users, mail), new DeletedPatientTagRipple(vertx.eventBus())),
        config.cliniciansTopic(), List.of(clinicianPermissions,
            new ClinicianPermissionsMail(new ClinicianNotices(vertx.eventBus()), mail)),
        config.patientsTopic(), List.of(patientPermissions)));
    producer = KafkaProducer.create(vertx, producerConfig(config.kafka()));
    deadLetters = new DeadLetters(vertx, producer, config.deadLetterTopic(), config.retry().maxDelayMs());
    consumer = KafkaConsumer.create(vertx, consumerConfig(config));
    meters = new ConsumerMeters(Meters.of(vertx), consumer.asStream().unwrap(), config.topics());
    lagTimer = vertx.setPeriodic(LAG_PERIOD_MS, id -> measureLag());
    if (!config.instanceId().isEmpty()) {
      log.info("CDC consumer: group {}, static member {}", config.group(), config.instanceId());
    }
    consumer.exceptionHandler(failure -> log.warn("CDC consumer: {}", failure.toString()));
    consumer.handler(this::enqueue);
    return Future.all(clinicianPermissions.createIndexes(), patientPermissions.createIndexes())
        .compose(indexed -> consumer.subscribe(new HashSet<>(config.topics())));
  }

  /**
   * Takes no further record, lets the one in hand finish (within the stop's deadline: its
   * handlers still reach the store and the mail verticle, which stop after this one), waits for
   * the commit of what it finished, then leaves. A record cut short by the deadline is not
   * committed and comes again to the next consumer (at least once).
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(lagTimer);
    return inHand.drained(vertx, Stopping.remainingMs(vertx, shutdownTimeoutMs))
        .compose(drained -> lastCommit.otherwiseEmpty())
        .eventually(() -> Future.join(consumer.close(), producer.close(), gatekeeper.close()))
        .andThen(closed -> {
          if (meters != null) {
            meters.close();
          }
        });
  }

  static Map<String, String> consumerConfig(ConsumerConfig config) {
    Map<String, String> settings = new HashMap<>();
    settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, config.group());
    if (!config.instanceId().isEmpty()) {
      // A restarted member with the same id replaces the old one at once (no wait for its
      // session to expire, no rebalance); the price is that a member that stops for good keeps
      // its partitions until its session (session.timeout.ms, 45 s) expires.
      settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
    }
    settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, BufferDeserializer.class.getName());
    settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, BufferDeserializer.class.getName());
    // Topics that do not exist yet are seen soon after the relay creates them.
    settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
    return config.kafka().clientConfig(settings);
  }

  static Map<String, String> producerConfig(KafkaClients kafka) {
    return kafka.clientConfig(Map.of(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, BufferSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, BufferSerializer.class.getName(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000"));
  }

  private void enqueue(KafkaConsumerRecord<Buffer, Buffer> record) {
    backlog.add(record);
    consumer.pause();
    handleNext();
  }

  private void handleNext() {
    if (handling || stopped) {
      return;
    }
    KafkaConsumerRecord<Buffer, Buffer> record = backlog.poll();
    if (record == null) {
      consumer.resume();
      return;
    }
    handling = true;
    inHand.track(RequestIds.runAs(requestIdOf(record), () -> finish(record))).onComplete(finished -> {
      if (finished.succeeded()) {
        nextToFinish.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        // Not awaited (a stop waits for the last one): the client sends commits in order, and a
        // lost one only means a redelivery.
        lastCommit = commit(record).onFailure(failure -> log.warn("offset {} of {}-{} not committed: {}",
            record.offset(), record.topic(), record.partition(), failure.toString()));
      }
      handling = false;
      handleNext();
    });
  }

  /** Handles the record with retries, else parks it on the dead-letter topic. */
  private Future<Void> finish(KafkaConsumerRecord<Buffer, Buffer> record) {
    String value = record.value() == null ? null : record.value().toString();
    return config.retry().run(vertx, () -> dispatcher.dispatch(record.topic(), value), () -> meters.retried(record.topic()))
        .onSuccess(handled -> meters.handled(record.topic()))
        .recover(failure -> {
          log.error("change at offset {} of {}-{} failed, parking it on {}", record.offset(), record.topic(), record.partition(),
              config.deadLetterTopic(), failure);
          return deadLetters.park(record, failure, () -> stopped).onSuccess(parked -> meters.deadLettered(record.topic()));
        });
  }

  /** Lag per topic: end offset minus the next record to finish (the fetch position where none finished yet). */
  private void measureLag() {
    consumer.assignment()
        .compose(partitions -> partitions.isEmpty() ? Future.succeededFuture(Map.<TopicPartition, Long>of())
            : consumer.endOffsets(partitions))
        .compose(ends -> {
          List<Future<Long>> lags = new ArrayList<>();
          Map<String, Long> byTopic = new HashMap<>();
          ends.forEach((partition, end) -> {
            Long next = nextToFinish.get(partition);
            Future<Long> from = next != null ? Future.succeededFuture(next) : consumer.position(partition);
            lags.add(from.map(offset -> {
              byTopic.merge(partition.getTopic(), Math.max(0, end - offset), Long::sum);
              return offset;
            }));
          });
          return Future.all(lags).map(byTopic);
        })
        .onSuccess(meters::lag)
        .onFailure(failure -> log.debug("consumer lag not measured: {}", failure.toString()));
  }

  /** The id of the request whose write the record reports (the relay's header; Kafka Connect sends none). */
  private static String requestIdOf(KafkaConsumerRecord<Buffer, Buffer> record) {
    return record.headers().stream().filter(header -> RequestIds.HEADER.equals(header.key()))
        .map(header -> header.value().toString()).reduce((first, last) -> last).orElse(null);
  }

  private Future<Void> commit(KafkaConsumerRecord<Buffer, Buffer> record) {
    return consumer.commit(Map.of(new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1, ""))).mapEmpty();
  }
}
