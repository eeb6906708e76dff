package org.tidepool.clinic.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batches of unjournaled writes larger than one command may be (16 MB): all written, in order. */
class UnjournaledWritesTest {
  private static final String TEXT = "x".repeat(100_000);
  private static MongoServer server;
  private static Vertx vertx;
  private static MongoClient mongo;

  @BeforeAll
  static void start() {
    server = new MongoServer(new MemoryBackend());
    String uri = "mongodb://127.0.0.1:" + server.bind().getPort();
    vertx = Vertx.vertx();
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", "unjournaled"));
  }

  @AfterAll
  static void stop() {
    mongo.close().await();
    vertx.close().await();
    server.shutdownNow();
  }

  @Test
  void aBatchOfTwentyMegabytesIsInsertedAndUpdatedWhole() {
    List<JsonObject> documents = new ArrayList<>();
    List<UnjournaledWrites.Update> updates = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      documents.add(new JsonObject().put("_id", i).put("text", TEXT));
      updates.add(new UnjournaledWrites.Update(new JsonObject().put("_id", i), new JsonObject().put("$set", new JsonObject().put("again", TEXT))));
    }

    UnjournaledWrites.insertAll(mongo, "big", documents).await();
    UnjournaledWrites.updateAll(mongo, "big", updates).await();

    assertThat(mongo.count("big", new JsonObject()).await()).isEqualTo(200);
    assertThat(mongo.count("big", new JsonObject().put("again", TEXT)).await()).isEqualTo(200);
  }
}
