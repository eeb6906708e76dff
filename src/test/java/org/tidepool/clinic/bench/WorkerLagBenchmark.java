package org.tidepool.clinic.bench;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.types.ObjectId;
import org.tidepool.clinic.cdc.relay.StrictJson;
import org.tidepool.clinic.testing.TestStack;

/**
 * CDC lag of the worker's patient mails on the embedded stack: from the API's answer to
 * SendUploadReminder (or ConnectProvider) until the {@code patient_upload_reminder} (or
 * {@code request_dexcom_connect_custodial}) mail is in the SMTP server, one at a time; first
 * idle, then while a burst of patient change events (format A, as Kafka Connect publishes them,
 * for {@code burstDocuments} patient records) drains, with the burst's drain rate.
 *
 * <p>Args: {@code idleSamples burstEvents burstSamples} (defaults 100, 10000, 5). The burst's samples start right after
 * it is published: the first waits behind the burst's events of its partition (one partition, order kept per
 * record, so its lag is about the drain time), the later ones as the backlog shrinks.
 */
public final class WorkerLagBenchmark {
  private static final int BURST_DOCUMENTS = 1000;

  private WorkerLagBenchmark() {}

  public static void main(String[] args) throws Exception {
    int idleSamples = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int burstEvents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int burstSamples = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    StringBuilder report = new StringBuilder();
    try (TestStack stack = TestStack.start(new JsonObject())) {
      WebClient client = WebClient.create(stack.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(stack.httpPort()));
      String admin = stack.userToken("bench0worker", "admin@bench.test", "Bench Admin");
      String clinicId = expectOk(client.post("/v1/clinics").bearerTokenAuthentication(admin)
          .sendJsonObject(new JsonObject().put("name", "Bench Clinic").put("preferredBgUnits", "mg/dL")).await()).bodyAsJsonObject().getString("id");
      GreenMail smtp = stack.app().embeddedSmtp().greenMail();
      List<String> patients = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        patients.add(expectOk(client.post("/v1/clinics/" + clinicId + "/patients").bearerTokenAuthentication(admin)
            .sendJsonObject(new JsonObject().put("fullName", "Bench Patient " + i).put("birthDate", "2010-01-01")
                .put("email", "bench" + i + "@bench.test")).await()).bodyAsJsonObject().getString("id"));
      }
      awaitMails(smtp, 21); // clinic_created + the invites

      Histogram idleReminder = new Histogram(120_000_000L, 3);
      Histogram idleConnect = new Histogram(120_000_000L, 3);
      sample(client, smtp, admin, clinicId, patients, idleSamples, idleReminder, idleConnect);

      String topic = stack.namespace().topicPrefix() + "clinic.patients";
      String brokers = stack.kafkaBrokers();
      String group = new JsonObject(stack.app().config().getMap()).getString("KAFKA_CONSUMER_GROUP", "");
      group = group.isEmpty() ? stack.namespace().topicPrefix() + "clinic-worker" : group;
      Histogram burstReminder = new Histogram(120_000_000L, 3);
      Histogram burstConnect = new Histogram(120_000_000L, 3);
      long burstStart = System.nanoTime();
      long lastOffset = publishBurst(brokers, topic, clinicId, burstEvents);
      long published = System.nanoTime();
      sample(client, smtp, admin, clinicId, patients, burstSamples, burstReminder, burstConnect);
      long drained = awaitCommitted(brokers, group, new TopicPartition(topic, 0), lastOffset + 1);
      double drainSeconds = (drained - burstStart) / 1e9;

      report.append(String.format(Locale.ROOT, "Worker CDC lag, embedded stack, %d cores, %s%n%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.version")));
      report.append("| scenario | samples | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
      row(report, "idle: SendUploadReminder -> patient_upload_reminder at SMTP", idleReminder);
      row(report, "idle: ConnectProvider -> request_dexcom_connect_custodial at SMTP", idleConnect);
      row(report, "burst: SendUploadReminder -> patient_upload_reminder at SMTP", burstReminder);
      row(report, "burst: ConnectProvider -> request_dexcom_connect_custodial at SMTP", burstConnect);
      report.append(String.format(Locale.ROOT, "%nBurst: %d patient change events for %d records published in %.1f s, all handled and committed "
              + "%.1f s after the first was sent: %.0f events/s.%n",
          burstEvents, BURST_DOCUMENTS, (published - burstStart) / 1e9, drainSeconds, burstEvents / drainSeconds));
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/worker-benchmark.md"), report);
      client.close();
    }
    System.exit(0);
  }

  /** Alternating reminder and connection request, one at a time, each timed until its mail arrives. */
  private static void sample(WebClient client, GreenMail smtp, String admin, String clinicId, List<String> patients, int samples,
                             Histogram reminder, Histogram connect) {
    for (int i = 0; i < samples; i++) {
      String path = "/v1/clinics/" + clinicId + "/patients/" + patients.get(i % patients.size());
      int before = smtp.getReceivedMessages().length;
      expectOk(client.post(path + "/upload_reminder").bearerTokenAuthentication(admin).send().await());
      long answered = System.nanoTime();
      awaitMails(smtp, before + 1);
      reminder.recordValue((System.nanoTime() - answered) / 1000);
      expectOk(client.post(path + "/connect/dexcom").bearerTokenAuthentication(admin).send().await());
      answered = System.nanoTime();
      awaitMails(smtp, before + 2);
      connect.recordValue((System.nanoTime() - answered) / 1000);
    }
  }

  /** Updates of non-custodial patient records (the gatekeeper projection and the patient handler run for each). */
  private static long publishBurst(String brokers, String topic, String clinicId, int events) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < BURST_DOCUMENTS; i++) {
      ids.add(new ObjectId().toHexString());
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.LINGER_MS_CONFIG, "5"))) {
      Future<RecordMetadata> last = null;
      for (int i = 0; i < events; i++) {
        String id = ids.get(i % ids.size());
        JsonObject event = new JsonObject()
            .put("_id", new JsonObject().put("_data", new ObjectId().toHexString()))
            .put("operationType", "update")
            .put("wallTime", new JsonObject().put("$date", java.time.Instant.now().toString()))
            .put("ns", new JsonObject().put("db", "clinic").put("coll", "patients"))
            .put("documentKey", new JsonObject().put("_id", new JsonObject().put("$oid", id)))
            .put("fullDocument", new JsonObject().put("_id", new JsonObject().put("$oid", id))
                .put("clinicId", new JsonObject().put("$oid", clinicId)).put("userId", String.format("%010x", i % BURST_DOCUMENTS))
                .put("fullName", "Burst " + i).put("permissions", new JsonObject().put("view", new JsonObject())))
            .put("updateDescription", new JsonObject().put("updatedFields", new JsonObject().put("fullName", "Burst " + i))
                .put("removedFields", new JsonArray()).put("truncatedArrays", new JsonArray()));
        last = producer.send(new ProducerRecord<>(topic, StrictJson.formatA(event.getJsonObject("documentKey")), StrictJson.formatA(event)));
      }
      producer.flush();
      return last.get(30, TimeUnit.SECONDS).offset();
    }
  }

  private static long awaitCommitted(String brokers, String group, TopicPartition partition, long offset) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (System.nanoTime() < deadline) {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
        if (committed != null && committed.offset() >= offset) {
          return System.nanoTime();
        }
        Thread.sleep(20);
      }
      long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
      throw new IllegalStateException("the burst was not drained within 10 minutes (end offset " + end + ")");
    }
  }

  private static void awaitMails(GreenMail smtp, int count) {
    if (!smtp.waitForIncomingEmail(900_000, count)) {
      throw new IllegalStateException("fewer than " + count + " mails within 15 min");
    }
  }

  private static void row(StringBuilder report, String name, Histogram lag) {
    report.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", name, lag.getTotalCount(),
        lag.getValueAtPercentile(50) / 1000.0, lag.getValueAtPercentile(99) / 1000.0, lag.getMaxValue() / 1000.0));
  }

  private static HttpResponse<Buffer> expectOk(HttpResponse<Buffer> response) {
    if (response.statusCode() >= 300) {
      throw new IllegalStateException("request failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response;
  }
}
