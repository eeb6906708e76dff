package org.tidepool.clinic.cdc.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.cdc.CdcTestConfig;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.testing.TopicReader;
import org.tidepool.clinic.testing.TopicReader.Received;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.infra.EmbeddedMongo;

@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayVerticleTest {
  @TempDir
  static Path dataDir;

  private EmbeddedKafka kafka;
  private EmbeddedMongo mongoServer;
  private MongoClient mongo;
  private Vertx vertx;
  private String prefix;
  private int testRun;
  private int mongoPort;
  private String relay;
  private JsonObject relayConfig;

  @BeforeAll
  void startInfrastructure(Vertx vertx) {
    this.vertx = vertx;
    kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    mongoServer = EmbeddedMongo.inMemory();
    int mongoPort = mongoServer.port();
    this.mongoPort = mongoPort;
    mongo = MongoClient.createShared(vertx, new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + mongoPort).put("db_name", "clinic"), "relay-test");
  }

  @AfterAll
  void stopInfrastructure() {
    kafka.close();
    mongoServer.close();
  }

  /** A relay per test, each on its own topics. */
  @BeforeEach
  void deployRelay() {
    testRun++;
    prefix = "relaytest" + testRun + ".";
    JsonObject config = CdcTestConfig.load(vertx, kafka.bootstrapServers(), mongoPort,
        new JsonObject().put("KAFKA_TOPIC_PREFIX", prefix).put("CDC_RELAY_POLL_INTERVAL_MS", 100)
            .put("CDC_RELAY_KAFKA_TIMEOUT_MS", 1000));
    relayConfig = config;
    relay = vertx.deployVerticle(new RelayVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  @AfterEach
  void undeployRelay() {
    vertx.undeploy(relay).await();
  }

  @Test
  void publishesReadyRecordsInOrderAndWaitsAtAPendingOne() {
    String clinic = new ObjectId().toHexString();
    String clinician = new ObjectId().toHexString();
    JsonObject first = record("ready", "clinics", clinic, 1);
    JsonObject second = record("ready", "clinicians", clinician, 2);
    JsonObject pending = record("pending", "clinicians", clinician, 3);
    JsonObject behindPending = record("ready", "clinicians", clinician, 4);
    insert(first, second, pending, behindPending);
    nudge();

    awaitOutboxSize(2);
    assertEquals(List.of(formatA(first)), values(TopicReader.readAtLeast(kafka.bootstrapServers(), prefix + "clinic.clinics", 1)));

    JsonObject nowReady = record("ready", "clinicians", clinician, 3).put("_id", pending.getValue("_id"));
    mongo.replaceDocuments(RelayVerticle.OUTBOX, new JsonObject().put("_id", pending.getValue("_id")), nowReady).await();
    nudge();
    awaitOutboxSize(0);

    List<Received> clinicians = TopicReader.readAtLeast(kafka.bootstrapServers(), prefix + "clinic.clinicians", 3);
    assertEquals(List.of(formatA(second), formatA(nowReady), formatA(behindPending)), values(clinicians));
    String expectedKey = "\"{\\\"_id\\\": {\\\"$oid\\\": \\\"" + clinician + "\\\"}}\"";
    clinicians.forEach(received -> assertEquals(expectedKey, received.key()));
  }

  @Test
  void recordsWrittenWhileKafkaIsDownAreAllPublishedInOrderOnceItIsBack() {
    kafka.stop();
    List<JsonObject> written = writeReadyClinicRecords(20);
    kafka.start();

    awaitOutboxSize(0);
    assertEquals(formatA(written), publishedAmong(written, false));
  }

  @Test
  void anOutageLongerThanTheKafkaTimeoutKeepsEveryRecordUntilKafkaTakesIt() {
    kafka.stop();
    List<JsonObject> written = writeReadyClinicRecords(10);
    // long enough for rounds to time out (CDC_RELAY_KAFKA_TIMEOUT_MS is 1000 here)
    vertx.timer(2500).await();
    assertEquals(10L, mongo.count(RelayVerticle.OUTBOX, new JsonObject()).await(), "nothing is deleted before Kafka has it");
    kafka.start();

    awaitOutboxSize(0);
    // a send that timed out may have reached Kafka: repeats are allowed, loss and reordering not
    assertEquals(formatA(written), publishedAmong(written, true));
  }

  /** Ready change records of one clinic, written in order and nudged. */
  private List<JsonObject> writeReadyClinicRecords(int count) {
    String clinic = new ObjectId().toHexString();
    List<JsonObject> written = new ArrayList<>();
    for (int sequence = 1; sequence <= count; sequence++) {
      JsonObject record = record("ready", "clinics", clinic, sequence);
      written.add(record);
      insert(record);
      nudge();
    }
    return written;
  }

  private static List<String> formatA(List<JsonObject> records) {
    return records.stream().map(RelayVerticleTest::formatA).toList();
  }

  /** What reached the clinics topic of these records, in topic order (first copies only if asked). */
  private List<String> publishedAmong(List<JsonObject> records, boolean firstCopiesOnly) {
    List<String> expected = formatA(records);
    var published = values(TopicReader.readAtLeast(kafka.bootstrapServers(), prefix + "clinic.clinics", records.size())).stream()
        .filter(expected::contains);
    return (firstCopiesOnly ? published.distinct() : published).toList();
  }

  @Test
  void ofTwoRelaysOnOneDatabaseOnePublishesAndTheOtherTakesOverWhenItStops() {
    String standBy = vertx.deployVerticle(new RelayVerticle(), new DeploymentOptions().setConfig(relayConfig)).await();
    String clinic = new ObjectId().toHexString();
    List<JsonObject> written = new ArrayList<>();
    for (int sequence = 1; sequence <= 20; sequence++) {
      JsonObject record = record("ready", "clinics", clinic, sequence);
      written.add(record);
      insert(record);
      nudge();
    }
    awaitOutboxSize(0);

    vertx.undeploy(relay).await();
    relay = standBy;
    for (int sequence = 21; sequence <= 25; sequence++) {
      JsonObject record = record("ready", "clinics", clinic, sequence);
      written.add(record);
      insert(record);
      nudge();
    }
    awaitOutboxSize(0);

    List<String> expected = written.stream().map(RelayVerticleTest::formatA).toList();
    assertEquals(expected, values(TopicReader.readAtLeast(kafka.bootstrapServers(), prefix + "clinic.clinics", 25)));
  }

  @Test
  void patientEventsLeaveTheSummaryOutAsUpstreamsConnectorDoes() {
    String patient = new ObjectId().toHexString();
    JsonObject summary = new JsonObject().put("cgmStats", new JsonObject().put("id", "abc"));
    JsonObject patientRecord = record("ready", "patients", patient, 1);
    JsonObject event = patientRecord.getJsonObject("event");
    event.getJsonObject("fullDocument").put("summary", summary).put("fullName", "Pat");
    event.getJsonObject("updateDescription").getJsonObject("updatedFields").put("summary", summary).put("fullName", "Pat");
    String clinic = new ObjectId().toHexString();
    JsonObject clinicRecord = record("ready", "clinics", clinic, 2);
    clinicRecord.getJsonObject("event").getJsonObject("fullDocument").put("summary", "a clinic field of that name stays");
    insert(patientRecord, clinicRecord);
    nudge();

    JsonObject published = new JsonObject((String) Json.decodeValue(
        TopicReader.readAtLeast(kafka.bootstrapServers(), prefix + "clinic.patients", 1).get(0).value()));
    assertEquals("Pat", published.getJsonObject("fullDocument").getString("fullName"));
    assertEquals(false, published.getJsonObject("fullDocument").containsKey("summary"));
    JsonObject updatedFields = published.getJsonObject("updateDescription").getJsonObject("updatedFields");
    assertEquals(false, updatedFields.containsKey("summary"));
    assertEquals("Pat", updatedFields.getString("fullName"));
    assertEquals(List.of(formatA(clinicRecord)), values(TopicReader.readAtLeast(kafka.bootstrapServers(), prefix + "clinic.clinics", 1)));
  }

  /** A change record as docs/design.md describes it, in the Vert.x Mongo JSON form. */
  private JsonObject record(String state, String coll, String documentId, int sequence) {
    JsonObject documentKey = new JsonObject().put("_id", new JsonObject().put("$oid", documentId));
    ObjectId recordId = new ObjectId();
    JsonObject record = new JsonObject()
        .put("_id", new JsonObject().put("$oid", recordId.toHexString()))
        .put("state", state)
        .put("coll", coll)
        .put("documentKey", documentKey)
        .put("operationType", "update")
        .put("createdTime", new JsonObject().put("$date", "2026-11-26T10:00:00Z"));
    if (state.equals("ready")) {
      record.put("event", new JsonObject()
          .put("_id", new JsonObject().put("_data", recordId.toHexString()))
          .put("operationType", "update")
          .put("clusterTime", new JsonObject().put("$timestamp", new JsonObject().put("t", 1_790_000_000).put("i", sequence)))
          .put("wallTime", new JsonObject().put("$date", "2026-11-26T10:00:00.123Z"))
          .put("ns", new JsonObject().put("db", "clinic").put("coll", coll))
          .put("documentKey", documentKey)
          .put("fullDocument", new JsonObject().put("_id", documentKey.getValue("_id")).put("run", testRun).put("sequence", sequence))
          .put("updateDescription", new JsonObject().put("updatedFields", new JsonObject().put("sequence", sequence))
              .put("removedFields", List.of()).put("truncatedArrays", List.of())));
    }
    return record;
  }

  private static String formatA(JsonObject record) {
    return StrictJson.changeEvent(record.getJsonObject("event"));
  }

  private static List<String> values(List<Received> received) {
    return received.stream().map(Received::value).toList();
  }

  private void insert(JsonObject... records) {
    for (JsonObject record : records) {
      mongo.insert(RelayVerticle.OUTBOX, record).await();
    }
  }

  private void nudge() {
    vertx.eventBus().publish(ChangeRecorder.RECORDS_READY, null);
  }

  private void awaitOutboxSize(long size) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    long count;
    while ((count = mongo.count(RelayVerticle.OUTBOX, new JsonObject()).await()) != size) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("outbox still holds " + count + " records, expected " + size);
      }
      vertx.timer(50).await();
    }
  }
}
