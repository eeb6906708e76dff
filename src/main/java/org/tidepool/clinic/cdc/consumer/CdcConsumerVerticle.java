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
import org.tidepool.clinic.cdc.consumer.handlers.ClinicianMarketo;
import org.tidepool.clinic.cdc.consumer.handlers.ClinicianNotices;
import org.tidepool.clinic.cdc.consumer.handlers.ClinicianPermissionsMail;
import org.tidepool.clinic.cdc.consumer.handlers.CustodialAccountSync;
import org.tidepool.clinic.cdc.consumer.handlers.DataSourceCopy;
import org.tidepool.clinic.cdc.consumer.handlers.DataSourceMirror;
import org.tidepool.clinic.cdc.consumer.handlers.DeletedCustodialAccounts;
import org.tidepool.clinic.cdc.consumer.handlers.DeletedPatientTagRipple;
import org.tidepool.clinic.cdc.consumer.handlers.MigrationHandOver;
import org.tidepool.clinic.cdc.consumer.handlers.Effects;
import org.tidepool.clinic.cdc.consumer.handlers.HandlerSettings;
import org.tidepool.clinic.cdc.consumer.handlers.InitialSummary;
import org.tidepool.clinic.mail.MailRequests;
import org.tidepool.clinic.cdc.consumer.handlers.PatientChanges;
import org.tidepool.clinic.cdc.consumer.handlers.PatientSummaryCopy;
import org.tidepool.clinic.cdc.consumer.handlers.ProviderConnectionMails;
import org.tidepool.clinic.operations.StoreCalls;
import org.tidepool.clinic.cdc.consumer.handlers.UploadReminderMail;
import org.tidepool.clinic.common.InFlight;
import org.tidepool.clinic.common.Meters;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.KafkaClients;
import org.tidepool.clinic.logging.RequestIds;
import org.tidepool.clinic.mongo.RetentionSweep;
import org.tidepool.clinic.platform.PatientAccounts;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.platform.WorkerPorts;

/**
 * Consumes the clinic CDC topics and the user events, and runs their handlers. Records of one
 * order key (a CDC event's changed document, a user event's user) are handled one after the
 * other in offset order; records of different keys, partitions and topics concurrently, up to
 * {@value #MAX_IN_FLIGHT} at a time (then the consumer pauses). A partition's offset is
 * committed only past records that are finished: handled, or (after the bounded retries)
 * parked on the dead-letter topic. Delivery is therefore at least once, which the handlers
 * tolerate (mails are deduplicated, projections are upserts, other effects recorded as done).
 */
public class CdcConsumerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CdcConsumerVerticle.class);
  static final int MAX_IN_FLIGHT = 256;

  private final UserDirectory users;
  private final PatientAccounts accounts;
  private final WorkerPorts ports;
  private ConsumerConfig config;
  private MongoClient gatekeeper;
  private MongoClient clinic;
  private KafkaConsumer<Buffer, Buffer> consumer;
  private KafkaProducer<Buffer, Buffer> producer;
  private ChangeDispatcher dispatcher;
  private DeadLetters deadLetters;
  private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
  private final Map<String, Future<Void>> lanes = new HashMap<>();
  private int inFlight;
  private boolean paused;
  private volatile boolean stopped;
  /** The Kafka consumer is closed or closing: no call may reach it any more (see {@link #start}). */
  private boolean closing;
  private final InFlight inHand = new InFlight();
  private Future<Void> lastCommit = Future.succeededFuture();
  /** Per partition: the next offset to commit, finished since the commit in flight was sent. */
  private final Map<TopicPartition, Long> toCommit = new HashMap<>();
  private boolean commitInFlight;
  private ConsumerMeters meters;
  private long shutdownTimeoutMs;
  private static final long LAG_PERIOD_MS = 5_000;
  private long lagTimer = -1;
  /** How long what a handler did stays recorded in {@code cdc_effects}: longer than a replay can reach back. */
  static final String EFFECTS_RETENTION_KEY = "CDC_EFFECTS_RETENTION";
  private long sweepTimer = -1;
  /** Per partition: the offset after the records finished there (handled or dead-lettered), as committed. */
  private final Map<TopicPartition, Long> nextToFinish = new HashMap<>();

  public CdcConsumerVerticle(UserDirectory users, PatientAccounts accounts, WorkerPorts ports) {
    this.users = users;
    this.accounts = accounts;
    this.ports = ports;
  }

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    config = ConsumerConfig.from(settings);
    shutdownTimeoutMs = settings.integer("SHUTDOWN_TIMEOUT_MS");
    HandlerSettings handlerSettings = HandlerSettings.from(settings);
    JsonObject clinicMongo = config().getJsonObject("mongo");
    gatekeeper = MongoClient.createShared(vertx, clinicMongo.copy().put("db_name", config.gatekeeperDatabase()), "gatekeeper");
    clinic = MongoClient.createShared(vertx, clinicMongo, "clinic");
    PermissionsProjection clinicianPermissions = new PermissionsProjection(gatekeeper, PermissionsProjection.CLINICIANS);
    PermissionsProjection patientPermissions = new PermissionsProjection(gatekeeper, PermissionsProjection.PATIENTS);
    MailRequests mail = new MailRequests(vertx.eventBus());
    StoreCalls store = new StoreCalls(vertx.eventBus());
    PatientChanges patients = new PatientChanges(
        new CustodialAccountSync(ports.profiles(), ports.invites(), ports.data(), users, store, mail, handlerSettings),
        new DataSourceCopy(ports.data(), store),
        new InitialSummary(ports.data(), store),
        new UploadReminderMail(users, mail),
        new ProviderConnectionMails(ports.tokens(), ports.data(), users, store, mail, new Effects(clinic), handlerSettings));
    dispatcher = new ChangeDispatcher(Map.of(
        config.clinicsTopic(), new ChangeTopic(List.of(new ClinicCreatedMail(users, mail), new DeletedPatientTagRipple(vertx.eventBus()))),
        config.cliniciansTopic(), new ChangeTopic(List.of(clinicianPermissions, new ClinicianMarketo(ports.marketo()),
            new ClinicianPermissionsMail(new ClinicianNotices(vertx.eventBus()), mail))),
        config.patientsTopic(), new ChangeTopic(List.of(patientPermissions, patients)),
        config.patientDeletionsTopic(), new ChangeTopic(List.of(new DeletedCustodialAccounts(ports.data(), accounts))),
        config.migrationsTopic(), new ChangeTopic(List.of(new MigrationHandOver(vertx.eventBus()))),
        config.userEventsTopic(), new UserEventsTopic(store),
        config.dataSourcesTopic(), new ChangeTopic(List.of(new DataSourceMirror(ports.data(), ports.tokens(), ports.profiles(), users, store))),
        config.summariesTopic(), new ChangeTopic(List.of(new PatientSummaryCopy(store)))));
    producer = KafkaProducer.create(vertx, producerConfig(config.kafka()));
    deadLetters = new DeadLetters(vertx, producer, config::deadLetterTopicFor, config.retry().maxDelayMs());
    consumer = KafkaConsumer.create(vertx, consumerConfig(config));
    meters = new ConsumerMeters(Meters.of(vertx), consumer.asStream().unwrap(), config.topics());
    sweepTimer = new RetentionSweep(clinic, Effects.COLLECTION, Effects.TIME,
        org.tidepool.clinic.config.GoDurations.read(settings, EFFECTS_RETENTION_KEY)).schedule(vertx);
    if (!config.instanceId().isEmpty()) {
      log.info("CDC consumer: group {}, static member {}", config.group(), config.instanceId());
    }
    consumer.exceptionHandler(failure -> {
      if (stopped && failure instanceof org.apache.kafka.common.errors.WakeupException) {
        log.debug("CDC consumer: poll woken by the stop");
      } else {
        log.warn("CDC consumer: {}", failure.toString());
      }
    });
    // records still running for a partition taken away are not committed by us any more
    consumer.partitionsRevokedHandler(revoked -> revoked.forEach(partition -> {
      progress.remove(partition);
      toCommit.remove(partition);
    }));
    consumer.handler(this::enqueue);
    return Future.all(clinicianPermissions.createIndexes(), patientPermissions.createIndexes())
        .compose(indexed -> consumer.subscribe(new HashSet<>(config.topics())))
        // Not before: vertx-kafka-client starts a worker thread of its own for the first call it
        // gets, so a call before subscribe (or after close) runs beside the poll loop's thread
        // (the consumer's ConcurrentModificationException).
        .onSuccess(subscribed -> lagTimer = vertx.setPeriodic(LAG_PERIOD_MS, id -> measureLag()));
  }

  /**
   * Takes no further record, lets the ones in hand finish (within the stop's deadline: their
   * handlers still reach the store and the mail verticle, which stop after this one), waits for
   * the commit of what they finished, then leaves. A record cut short by the deadline is not
   * committed and comes again to the next consumer (at least once).
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(lagTimer);
    vertx.cancelTimer(sweepTimer);
    return inHand.drained(vertx, Stopping.remainingMs(vertx, shutdownTimeoutMs))
        .compose(drained -> commitsSettled())
        .eventually(() -> {
          closing = true;
          return Future.join(consumer.close(), producer.close(), gatekeeper.close(), clinic.close());
        })
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
    ReceivedRecord received = ReceivedRecord.of(record);
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    progress.computeIfAbsent(partition, p -> new PartitionProgress()).started(record.offset());
    if (++inFlight >= MAX_IN_FLIGHT && !paused) {
      paused = true;
      consumer.pause();
    }
    String lane = dispatcher.orderKey(received);
    Future<Void> mine = lanes.getOrDefault(lane, Future.succeededFuture())
        .transform(previous -> stopped ? Future.failedFuture("stopped")
            : inHand.track(RequestIds.runAs(requestIdOf(record), () -> finish(record, received))));
    lanes.put(lane, mine);
    mine.onComplete(finished -> {
      lanes.remove(lane, mine);
      inFlight--;
      PartitionProgress partitionProgress = progress.get(partition);
      if (finished.succeeded() && partitionProgress != null) {
        long next = partitionProgress.finished(record.offset());
        if (next >= 0) {
          nextToFinish.put(partition, next);
          toCommit.put(partition, next);
          commitFinished();
        }
      }
      if (paused && inFlight <= MAX_IN_FLIGHT / 2 && !stopped) {
        paused = false;
        consumer.resume();
      }
    });
  }

  /** Handles the record with retries, else parks it on the dead-letter topic. */
  private Future<Void> finish(KafkaConsumerRecord<Buffer, Buffer> record, ReceivedRecord received) {
    return config.retry().run(vertx, () -> dispatcher.dispatch(received), () -> meters.retried(record.topic()))
        .onSuccess(handled -> meters.handled(record.topic()))
        .recover(failure -> {
          log.error("record at offset {} of {}-{} failed, parking it on {}", record.offset(), record.topic(), record.partition(),
              config.deadLetterTopicFor(record.topic()), failure);
          return deadLetters.park(record, failure, () -> stopped).onSuccess(parked -> meters.deadLettered(record.topic()));
        });
  }

  /** Lag per topic: end offset minus the next record to finish (the fetch position where none finished yet). */
  private void measureLag() {
    if (stopped) {
      return;
    }
    consumer.assignment()
        .compose(partitions -> partitions.isEmpty() || stopped ? Future.succeededFuture(Map.<TopicPartition, Long>of())
            : consumer.endOffsets(partitions))
        .compose(ends -> {
          List<Future<Long>> lags = new ArrayList<>();
          Map<String, Long> byTopic = new HashMap<>();
          ends.forEach((partition, end) -> {
            Long next = nextToFinish.get(partition);
            Future<Long> from = next != null || stopped ? Future.succeededFuture(next == null ? end : next) : consumer.position(partition);
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

  /**
   * Commits the offsets finished since the last commit, one commit at a time: a commit is a
   * broker round trip on the Kafka consumer's one thread (which also polls), so a commit per
   * record would bound the throughput; the offsets finished while one is in flight go together
   * in the next. Not awaited (a stop waits for them): a lost commit only means a redelivery.
   */
  private void commitFinished() {
    if (commitInFlight || toCommit.isEmpty()) {
      return;
    }
    if (closing) {
      toCommit.clear(); // records finished past the stop's deadline: they come again
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    toCommit.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next, "")));
    toCommit.clear();
    commitInFlight = true;
    lastCommit = consumer.commit(offsets).<Void>mapEmpty()
        .onFailure(failure -> log.warn("offsets {} not committed: {}", offsets, failure.toString()))
        .eventually(() -> {
          commitInFlight = false;
          commitFinished();
          return Future.succeededFuture();
        });
  }

  /** Completes once no commit is in flight and none is waiting. */
  private Future<Void> commitsSettled() {
    if (!commitInFlight && toCommit.isEmpty()) {
      return Future.succeededFuture();
    }
    return lastCommit.otherwiseEmpty().compose(done -> commitInFlight || !toCommit.isEmpty()
        ? vertx.timer(1).compose(tick -> commitsSettled()) : Future.succeededFuture());
  }
}
