package org.tidepool.clinic.cdc.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.StoreFixture;
import org.tidepool.clinic.testing.ReplyDroppingProxy;

/**
 * A write whose reply is lost after the server applied it: the caller hears of a failure, but the
 * change happened, so its change event is published all the same (and once).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LostWriteRepliesTest {
  private MongoServer server;
  private ReplyDroppingProxy proxy;
  private StoreFixture store;

  @BeforeAll
  void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    proxy = ReplyDroppingProxy.start(server.bind().getPort());
    store = new StoreFixture("mongodb://127.0.0.1:" + proxy.port()).deploy();
  }

  @AfterAll
  void stop() {
    store.close();
    proxy.close();
    server.shutdownNow();
  }

  @Test
  void anUpdateWhoseReplyWasLostIsPublished() throws Exception {
    User admin = store.user("c1c1c1c1c1", "admin-lost@example.org", "Admin Lost");
    String clinicId = store.createClinic(admin, "Before").getString("id");

    proxy.loseReplyTo("findAndModify", "clinics");
    Object outcome = store.send("UpdateClinic", Envelope.as(admin.id()).path("clinicId", clinicId)
        .body(new JsonObject().put("name", "After").put("preferredBgUnits", "mg/dL"))).otherwiseEmpty().await();
    proxy.awaitDropped();

    assertThat(outcome).as("the caller heard of a failure").isNull();
    assertThat(store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await().getString("name"))
        .isEqualTo("After");
    List<JsonObject> records = store.mongo.find(ChangeRecorder.COLLECTION, new JsonObject().put("coll", "clinics")
        .put("documentKey._id", MongoJson.oid(clinicId))).await();
    assertThat(records).extracting(record -> record.getString("state")).containsExactly("ready", "ready");
    assertThat(records.stream().map(record -> record.getJsonObject("event").getString("operationType")).toList())
        .containsExactlyInAnyOrder("insert", "update");
    assertThat(records.stream().filter(record -> record.getJsonObject("event").getString("operationType").equals("update"))
        .findFirst().orElseThrow().getJsonObject("event").getJsonObject("fullDocument").getString("name")).isEqualTo("After");
  }
}
