package org.tidepool.clinic.cdc.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import org.tidepool.clinic.cdc.relay.ParkedRecords.Parked;
import org.tidepool.clinic.infra.EmbeddedMongo;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Namespace;
import org.tidepool.clinic.testing.SharedServers;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TopicReader;

/**
 * Change records Kafka never accepts are parked in {@code cdc_parked} and stop nothing; the
 * {@code parked} command lists and retries them. The records are written by the real
 * {@link ChangeRecorder} and published to a real broker.
 */
@ExtendWith({VertxExtension.class, TestStackExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayParkingTest {
  /** Kafka's default max.request.size and (about) the broker's message.max.bytes. */
  private static final int KAFKA_LIMIT = 1_048_576;
  private static final int LOW_LIMIT = 8_192;

  @TempDir
  static Path dataDir;

  private Vertx vertx;
  private String kafkaBrokers;
  private Namespace namespace;
  private EmbeddedMongo mongoServer;
  private MongoClient mongo;
  private ChangeRecorder recorder;
  private ParkedRecords parked;
  private String prefix;
  private int testRun;
  private RelayVerticle relay;
  private String relayDeployment;

  @BeforeAll
  void startInfrastructure(Vertx vertx, SharedServers servers) {
    this.vertx = vertx;
    kafkaBrokers = servers.kafkaBrokers();
    namespace = servers.newNamespace(getClass());
    mongoServer = EmbeddedMongo.inMemory();
    mongo = MongoClient.createShared(vertx, new JsonObject()
        .put("connection_string", mongoServer.connectionString()).put("db_name", "clinic"), "parking-test");
    recorder = new ChangeRecorder(vertx, mongo, "clinic");
    parked = new ParkedRecords(mongo);
  }

  @AfterAll
  void stopInfrastructure() {
    mongoServer.close();
  }

  @BeforeEach
  void freshTopics() {
    testRun++;
    prefix = namespace.id() + "run" + testRun + ".";
  }

  @AfterEach
  void undeployRelayAndClearParked() {
    if (relayDeployment != null) {
      vertx.undeploy(relayDeployment).await();
      relayDeployment = null;
    }
    mongo.removeDocuments(ParkedRecords.COLLECTION, new JsonObject()).await();
  }

  @Test
  void aRecordOverKafkasLimitIsParkedAndTheRecordsBehindItArePublished() {
    deployRelay(KAFKA_LIMIT);
    String clinicId = new ObjectId().toHexString();
    recorder.insert("clinics", clinic(clinicId, "Before")).await();
    // as through the API: the event carries the address twice (fullDocument, updatedFields), over 1 MB
    recorder.update("clinics", clinicId, new JsonObject(), set("address", "x".repeat(600_000))).await();
    recorder.update("clinics", clinicId, new JsonObject(), set("name", "After")).await();

    List<JsonObject> events = publishedEvents(2);
    assertThat(events).extracting(event -> event.getString("operationType")).containsExactly("insert", "update");
    assertThat(events.get(1).getJsonObject("fullDocument").getString("name")).isEqualTo("After");

    List<Parked> records = awaitParked(1);
    Parked tooLarge = records.get(0);
    assertThat(tooLarge.collection()).isEqualTo("clinics");
    assertThat(tooLarge.documentId()).isEqualTo(clinicId);
    assertThat(tooLarge.operation()).isEqualTo("update");
    assertThat(tooLarge.reason()).contains("RecordTooLargeException");
    assertThat(tooLarge.parkedTime()).isNotNull();
    assertThat(relay.parkedRecords()).isEqualTo(1);
    awaitOutboxEmpty();
    JsonObject stored = mongo.findOne(ParkedRecords.COLLECTION, new JsonObject(), null).await().getJsonObject("record");
    assertThat(stored.getJsonObject("event").getJsonObject("updateDescription").getJsonObject("updatedFields")
        .getString("address")).hasSize(600_000);
  }

  @Test
  void aRecordTheBrokerRefusesIsParkedAndTheRelayGoesOn() {
    // the producer would send it; the broker's message.max.bytes (about 1 MB) refuses it
    deployRelay(4 * KAFKA_LIMIT);
    String big = new ObjectId().toHexString();
    String small = new ObjectId().toHexString();
    recorder.insert("clinics", clinic(big, "Big").put("address", "x".repeat(1_200_000))).await();
    recorder.insert("clinics", clinic(small, "Small")).await();

    assertThat(names(publishedEvents(1))).containsExactly("Small");
    List<Parked> records = awaitParked(1);
    assertThat(records.get(0).documentId()).isEqualTo(big);
    assertThat(records.get(0).reason()).contains("RecordTooLargeException");

    String later = new ObjectId().toHexString();
    recorder.insert("clinics", clinic(later, "Later")).await();
    assertThat(names(publishedEvents(2))).containsExactly("Small", "Later");
  }

  @Test
  void aRecordThatIsNotAChangeEventIsParked() {
    deployRelay(KAFKA_LIMIT);
    String brokenId = new ObjectId().toHexString();
    mongo.insert(ChangeRecorder.COLLECTION, new JsonObject().put("_id", new JsonObject().put("$oid", new ObjectId().toHexString()))
        .put("state", "ready").put("coll", "clinics").put("operationType", "insert")
        .put("documentKey", new JsonObject().put("_id", new JsonObject().put("$oid", brokenId)))).await();
    recorder.insert("clinics", clinic(new ObjectId().toHexString(), "Fine")).await();

    assertThat(names(publishedEvents(1))).containsExactly("Fine");
    List<Parked> records = awaitParked(1);
    assertThat(records.get(0).documentId()).isEqualTo(brokenId);
    assertThat(records.get(0).reason()).contains("malformed change record");
  }

  @Test
  void retriedRecordsArePublishedOnceTheLimitIsRaisedAfterTheRecordsBeforeTheRetry() {
    deployRelay(LOW_LIMIT);
    recorder.insert("clinics", clinic(new ObjectId().toHexString(), "Big One").put("address", "x".repeat(20_000))).await();
    recorder.insert("clinics", clinic(new ObjectId().toHexString(), "Big Two").put("address", "y".repeat(20_000))).await();
    recorder.insert("clinics", clinic(new ObjectId().toHexString(), "Small")).await();
    assertThat(names(publishedEvents(1))).containsExactly("Small");
    List<Parked> records = awaitParked(2);
    awaitOutboxEmpty();

    redeployRelay(KAFKA_LIMIT);
    assertThat(parked.retry(records.get(1).id()).await()).isPresent();
    assertThat(names(publishedEvents(2))).containsExactly("Small", "Big Two");
    assertThat(parked.list().await()).extracting(Parked::id).containsExactly(records.get(0).id());

    assertThat(parked.retryAll().await()).hasSize(1);
    assertThat(names(publishedEvents(3))).containsExactly("Small", "Big Two", "Big One");
    assertThat(parked.list().await()).isEmpty();
    assertThat(parked.retry(records.get(0).id()).await()).as("a record retried is no longer parked").isEmpty();
  }

  @Test
  void theParkedCommandListsAndRetriesInTheRunningServicesDatabase() throws Exception {
    deployRelay(LOW_LIMIT);
    String clinicId = new ObjectId().toHexString();
    recorder.insert("clinics", clinic(clinicId, "Too Big").put("address", "x".repeat(20_000))).await();
    String parkedId = awaitParked(1).get(0).id();

    CommandRun list = runCommand("parked", "list");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.stdout()).contains(parkedId + "  clinics  " + clinicId + "  insert  ").contains("RecordTooLargeException");

    redeployRelay(KAFKA_LIMIT);
    CommandRun retry = runCommand("parked", "retry", parkedId);
    assertThat(retry.exit()).as(retry.toString()).isZero();
    assertThat(retry.stdout()).contains("retried 1 parked record(s)");
    assertThat(names(publishedEvents(1))).containsExactly("Too Big");

    CommandRun again = runCommand("parked", "retry", parkedId);
    assertThat(again.exit()).as(again.toString()).isEqualTo(1);
    assertThat(again.stderr()).contains("no parked record " + parkedId);
  }

  private CommandRun runCommand(String... args) throws Exception {
    return CommandRun.of(Files.createTempDirectory(dataDir, "cli"), Map.of("EMBEDDED_MONGO_PORT", String.valueOf(mongoServer.port())), args);
  }

  private void deployRelay(int maxRequestBytes) {
    JsonObject config = CdcTestConfig.load(vertx, kafkaBrokers, mongoServer.port(), new JsonObject()
        .put("KAFKA_TOPIC_PREFIX", prefix).put("CDC_RELAY_POLL_INTERVAL_MS", 100)
        .put("CDC_RELAY_KAFKA_TIMEOUT_MS", 5000).put("CDC_RELAY_MAX_REQUEST_BYTES", maxRequestBytes));
    relay = new RelayVerticle();
    relayDeployment = vertx.deployVerticle(relay, new DeploymentOptions().setConfig(config)).await();
  }

  /** As an operator raising the limit would: a restart with the new setting. */
  private void redeployRelay(int maxRequestBytes) {
    vertx.undeploy(relayDeployment).await();
    relayDeployment = null;
    deployRelay(maxRequestBytes);
  }

  private static JsonObject clinic(String id, String name) {
    return new JsonObject().put("_id", new JsonObject().put("$oid", id)).put("name", name);
  }

  private static JsonObject set(String field, String value) {
    return new JsonObject().put("$set", new JsonObject().put(field, value));
  }

  /** The change events on the clinics topic (format A decoded), once it holds at least {@code count}. */
  private List<JsonObject> publishedEvents(int count) {
    List<JsonObject> events = TopicReader.readAtLeast(kafkaBrokers, prefix + "clinic.clinics", count).stream()
        .map(received -> new JsonObject((String) Json.decodeValue(received.value()))).toList();
    assertThat(events).as("events published").hasSizeGreaterThanOrEqualTo(count);
    return events;
  }

  private static List<String> names(List<JsonObject> events) {
    return events.stream().map(event -> event.getJsonObject("fullDocument").getString("name")).toList();
  }

  private List<Parked> awaitParked(int count) {
    return Eventually.await(vertx, count + " parked record(s)", () -> {
      List<Parked> records = parked.list().await();
      return records.size() == count ? records : null;
    });
  }

  private void awaitOutboxEmpty() {
    Eventually.await(vertx, "an empty outbox", () -> mongo.count(ChangeRecorder.COLLECTION, new JsonObject()).await() == 0);
  }
}
