package org.tidepool.clinic.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.api.auth.TestTokens;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Mailbox;
import org.tidepool.clinic.testing.Namespace;
import org.tidepool.clinic.testing.SharedServers;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * Issue 11 item 6: the service as a child JVM gets SIGTERM while clients create clinics. Every
 * request that was in flight gets its whole answer; what was refused was refused cleanly and
 * left nothing; the process exits within its bound, having committed the offsets of what its
 * consumer finished and released the relay lease; restarted, it serves every acknowledged
 * clinic and mails each one exactly once. MongoDB, Kafka and SMTP are the test JVM's shared
 * servers, so that they can be read while the service is down.
 */
@ExtendWith(TestStackExtension.class)
class GracefulStopTest {
  private static final int CLIENTS = 6;
  /** Generous: the shared 2-core machine can make one CreateClinic take seconds. */
  private static final long SHUTDOWN_TIMEOUT_MS = 30_000;
  /** Main's margin after the drain, for closing the rest. */
  private static final long STOP_MARGIN_MS = 10_000;

  @TempDir
  static Path dir;
  static SharedServers servers;
  static Namespace namespace;
  static Vertx vertx;
  static MongoClient clinicDb;

  record Outcome(String name, String email, long startedNanos, long endedNanos, ClinicHttp.Answer answer) {}

  @BeforeAll
  static void start(TestStacks stacks) {
    servers = stacks.servers();
    namespace = servers.newNamespace(GracefulStopTest.class);
    vertx = Vertx.vertx();
    clinicDb = MongoClient.create(vertx, new JsonObject().put("connection_string", "mongodb://" + servers.mongoAddress())
        .put("db_name", namespace.clinicDatabase()));
  }

  @AfterAll
  static void close() {
    clinicDb.close().await();
    vertx.close().await();
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aStopWithRequestsInFlightCutsNoneThatWasAccepted() throws Exception {
    Map<String, String> env = new HashMap<>();
    namespace.config().forEach(entry -> env.put(entry.getKey(), String.valueOf(entry.getValue())));
    env.put("TIDEPOOL_STORE_ADDRESSES", servers.mongoAddress());
    env.put("KAFKA_BROKERS", servers.kafkaBrokers());
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", String.valueOf(servers.smtp().smtpPort()));
    env.put("SMTP_STARTTLS", "DISABLED");
    env.put("KAFKA_CONSUMER_INSTANCE_ID", "graceful-" + namespace.id());
    env.put("SHUTDOWN_TIMEOUT_MS", String.valueOf(SHUTDOWN_TIMEOUT_MS));
    DevTokens tokens = TestTokens.withSecret(vertx, ServiceProcess.JWT_SECRET);
    try (ServiceProcess service = new ServiceProcess(dir.resolve("data"), Path.of("target", "graceful-stop"), env)) {
      service.start();
      service.awaitReady();
      // longer than the drain: a request the service cut shows as cut, not as a client's impatience
      ClinicHttp http = new ClinicHttp(service.httpPort(), java.net.http.HttpClient.Version.HTTP_1_1,
          Duration.ofMillis(SHUTDOWN_TIMEOUT_MS + STOP_MARGIN_MS));

      List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean exited = new AtomicBoolean();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.submit(() -> {
          for (int n = 0; !exited.get(); n++) {
            String user = String.format("%02d%08d", client, n);
            String email = "stop-" + user + "@example.org";
            long started = System.nanoTime();
            ClinicHttp.Answer answer = http.createClinic(tokens.user(user, email, "Stop Admin " + user), "Stop Clinic " + user);
            outcomes.add(new Outcome("Stop Clinic " + user, email, started, System.nanoTime(), answer));
          }
        });
      }
      Eventually.await(vertx, "clients under way", () -> outcomes.size() >= CLIENTS);
      long sigterm = System.nanoTime();
      long stopMs = service.terminate(Duration.ofMillis(SHUTDOWN_TIMEOUT_MS + STOP_MARGIN_MS + 20_000));
      exited.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      List<Outcome> inFlight = outcomes.stream().filter(o -> o.startedNanos() < sigterm && o.endedNanos() > sigterm).toList();
      List<Outcome> after = outcomes.stream().filter(o -> o.startedNanos() >= sigterm).toList();
      Map<String, Long> kinds = outcomes.stream().collect(Collectors.groupingBy(GracefulStopTest::kind, Collectors.counting()));
      System.out.printf("graceful stop: %d ms after SIGTERM with %d request(s) in flight; outcomes %s%n", stopMs, inFlight.size(), kinds);

      assertThat(stopMs).as("exit within SHUTDOWN_TIMEOUT_MS and the margin").isLessThan(SHUTDOWN_TIMEOUT_MS + STOP_MARGIN_MS);
      assertThat(inFlight).as("requests in flight at SIGTERM").isNotEmpty();
      assertThat(inFlight).as("every request in flight got its whole answer")
          .allSatisfy(o -> assertThat(o.answer().status()).as(o.answer().body()).isEqualTo(200));
      assertThat(outcomes).as("before SIGTERM, all answered; after it, 200, a clean 503 or no connection")
          .allSatisfy(o -> assertThat(kind(o)).isIn("200", "503", "refused", "closed before an answer"));

      // released, not left to expire: the next relay publishes at once
      assertThat(clinicDb.find("cdc_relay_lease", new JsonObject()).await()).as("relay lease").isEmpty();
      assertCommittedWhatWasMailed();

      List<Outcome> acknowledged = outcomes.stream().filter(o -> o.answer().status() == 200).toList();
      List<Outcome> unanswered = outcomes.stream().filter(o -> o.answer().status() != 200).toList();
      service.start();
      service.awaitReady();
      String server = tokens.server();
      for (Outcome ok : acknowledged) {
        String id = ok.answer().json().getString("id");
        assertThat(http.getClinic(server, id).status()).as("acknowledged clinic " + ok.name()).isEqualTo(200);
      }
      ClinicHttp.Answer listed = http.listClinics(server);
      assertThat(listed.status()).as(listed.body()).isEqualTo(200);
      Set<String> stored = namesOf(new io.vertx.core.json.JsonArray(listed.body()));
      assertThat(unanswered).as("a request without a 200 left no clinic").noneMatch(o -> stored.contains(o.name()));

      Mailbox mailbox = new Mailbox(vertx, servers.smtp().greenMail(), namespace.senderAddress());
      Eventually.await(vertx, "every acknowledged clinic mailed", () -> acknowledged.stream()
          .allMatch(o -> !mailbox.to(o.email()).isEmpty()));
      assertThat(acknowledged).as("mailed exactly once").allSatisfy(o -> assertThat(mailbox.to(o.email())).hasSize(1));
      service.stop();
    }
  }

  private static Set<String> namesOf(io.vertx.core.json.JsonArray clinics) {
    return clinics.stream().map(c -> ((JsonObject) c).getString("name")).collect(Collectors.toSet());
  }

  private static String kind(Outcome outcome) {
    int status = outcome.answer().status();
    if (status >= 0) {
      return String.valueOf(status);
    }
    String failure = outcome.answer().body();
    return failure.contains("ConnectException") ? "refused"
        : failure.contains("HttpTimeoutException") ? "no answer in time" : "closed before an answer";
  }

  /**
   * Every clinic_created mail the consumer logged before the stop belongs to a record at or
   * below the committed offset: what the consumer finished, it committed.
   */
  private static void assertCommittedWhatWasMailed() throws Exception {
    String topic = namespace.topicPrefix() + "clinic.clinics";
    Map<TopicPartition, OffsetAndMetadata> committed;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBrokers()))) {
      committed = admin.listConsumerGroupOffsets(namespace.consumerGroup()).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }
    Map<String, ConsumerRecord<String, String>> recordsByEventId = new HashMap<>();
    try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBrokers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      List<TopicPartition> partitions = reader.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
          JsonObject event = new JsonObject((String) Json.decodeValue(record.value()));
          recordsByEventId.put(event.getJsonObject("_id").getString("_data"), record);
        }
      }
    }
    List<JsonObject> mailed = clinicDb.find("mail_log", new JsonObject().put("template", "clinic_created")).await();
    assertThat(mailed).as("mails sent before the stop").isNotEmpty();
    for (JsonObject mail : mailed) {
      String eventId = mail.getString("_id").split(":")[0];
      ConsumerRecord<String, String> record = recordsByEventId.get(eventId);
      assertThat(record).as("the record of mail " + mail.getString("_id")).isNotNull();
      OffsetAndMetadata offset = committed.get(new TopicPartition(topic, record.partition()));
      assertThat(offset).as("committed offset of " + topic + "-" + record.partition()).isNotNull();
      assertThat(record.offset()).as("mailed record below the committed offset").isLessThan(offset.offset());
    }
  }
}
