package org.tidepool.clinic.intents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The intent log around a two-document operation ("pair": document a, then document b): complete
 * or not visible after a halt at every step, after a failure, and never resumed twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntentLogTest {
  private static final String KIND = "Pair";
  private MongoServer server;
  private Vertx vertx;
  private MongoClient mongo;

  @BeforeAll
  void start() {
    server = new MongoServer(new MemoryBackend());
    vertx = Vertx.vertx();
    mongo = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + server.bind().getPort()).put("db_name", "intents"));
  }

  @AfterAll
  void stop() throws Exception {
    mongo.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    server.shutdownNow();
  }

  @AfterEach
  void clean() throws Exception {
    for (String coll : new String[] {"a", "b", IntentLog.COLLECTION}) {
      mongo.removeDocuments(coll, new JsonObject()).await(10, TimeUnit.SECONDS);
    }
  }


  /** The pair is complete when a exists (b is then added); without a, b is removed. */
  private IntentLog log(String haltAt) {
    return new IntentLog(vertx, mongo, new ClinicLock(vertx), haltAt).register(KIND, intent -> {
      JsonObject id = new JsonObject().put("_id", intent.params().getString("id"));
      return mongo.findOne("a", id, null).compose(a -> a != null
          ? mongo.save("b", id.copy()).mapEmpty()
          : mongo.removeDocument("b", id).mapEmpty());
    });
  }

  private Future<String> pair(IntentLog log, String id, boolean failAfterA) {
    JsonObject doc = new JsonObject().put("_id", id);
    return log.run(KIND, "c1", new JsonObject().put("id", id), steps -> mongo.insert("a", doc.copy())
        .compose(v -> steps.reached("a-written"))
        .compose(v -> failAfterA ? Future.failedFuture(new IllegalStateException("b refused")) : mongo.insert("b", doc.copy()))
        .compose(v -> steps.reached("b-written"))
        .map(id));
  }

  private long count(String coll) throws Exception {
    return mongo.count(coll, new JsonObject()).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFinishedOperationLeavesNoRecord() throws Exception {
    assertThat(pair(log(""), "p1", false).await(10, TimeUnit.SECONDS)).isEqualTo("p1");
    assertThat(count("a")).isEqualTo(1);
    assertThat(count("b")).isEqualTo(1);
    assertThat(count(IntentLog.COLLECTION)).isZero();
  }

  @Test
  void anOperationHaltedBetweenItsWritesIsCompletedAtStartUp() throws Exception {
    CompletableFuture<JsonObject> halted = new CompletableFuture<>();
    var consumer = vertx.eventBus().<JsonObject>consumer(IntentLog.HALTED, message -> halted.complete(message.body()));
    consumer.completion().await(10, TimeUnit.SECONDS);
    pair(log(KIND + ":a-written"), "p2", false);
    assertThat(halted.get(10, TimeUnit.SECONDS).getString("step")).isEqualTo("a-written");
    consumer.unregister().await(10, TimeUnit.SECONDS);
    assertThat(count("b")).isZero();
    assertThat(count(IntentLog.COLLECTION)).isEqualTo(1);

    // a new process on the same database
    assertThat(log("").resumePending(true).await(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(count("a")).isEqualTo(1);
    assertThat(count("b")).isEqualTo(1);
    assertThat(count(IntentLog.COLLECTION)).isZero();
    assertThat(log("").resumePending(true).await(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void aFailedOperationIsConvergedAtOnceAndFailsAsItFailed() throws Exception {
    assertThatThrownBy(() -> pair(log(""), "p3", true).await(10, TimeUnit.SECONDS)).hasMessageContaining("b refused");
    assertThat(count("a")).isEqualTo(1);
    assertThat(count("b")).isEqualTo(1);
    assertThat(count(IntentLog.COLLECTION)).isZero();
  }

  @Test
  void aRecentRecordOfARunningOperationIsNotResumedByTheStalenessSweep() throws Exception {
    IntentLog log = log(KIND + ":a-written");
    pair(log, "p4", false);
    waitForRecord();
    assertThat(log.resumePending(false).await(10, TimeUnit.SECONDS)).isZero();
    assertThat(log.resumePending(true).await(10, TimeUnit.SECONDS)).as("its own running operation").isZero();
    assertThat(count(IntentLog.COLLECTION)).isEqualTo(1);
  }

  @Test
  void anOperationWithoutAResumerIsRefusedBeforeItWrites() throws Exception {
    IntentLog log = new IntentLog(vertx, mongo, new ClinicLock(vertx), "");
    assertThatThrownBy(() -> log.run("Unknown", "c1", new JsonObject(), steps -> mongo.insert("a", new JsonObject().put("_id", "x")))
        .await(10, TimeUnit.SECONDS)).hasMessageContaining("no resumer");
    // its own write only: an earlier test's resumer may still be finishing its pair in "a"
    assertThat(mongo.count("a", new JsonObject().put("_id", "x")).await(10, TimeUnit.SECONDS)).isZero();
    assertThat(mongo.count(IntentLog.COLLECTION, new JsonObject().put("kind", "Unknown")).await(10, TimeUnit.SECONDS)).isZero();
  }

  private void waitForRecord() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count(IntentLog.COLLECTION) == 0) {
      assertThat(System.nanoTime()).as("the intent is recorded within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
