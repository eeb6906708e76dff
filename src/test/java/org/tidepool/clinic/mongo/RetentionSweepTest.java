package org.tidepool.clinic.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.cdc.consumer.handlers.Effects;
import org.tidepool.clinic.testing.Namespace;
import org.tidepool.clinic.testing.SharedServers;
import org.tidepool.clinic.testing.TestStackExtension;

/** Old dedup records go, fresh ones stay (the embedded store has no TTL expiry, so the sweep does it). */
@ExtendWith({VertxExtension.class, TestStackExtension.class})
class RetentionSweepTest {

  @Test
  void recordsOlderThanTheRetentionAreRemovedAndFreshOnesStay(Vertx vertx, SharedServers servers) {
    Namespace namespace = servers.newNamespace(getClass());
    MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", "mongodb://" + servers.mongoAddress())
        .put("db_name", namespace.clinicDatabase()));
    Instant now = Instant.parse("2026-12-02T03:00:00Z");
    for (var record : List.of(
        new JsonObject().put("_id", "old:connect:dexcom").put("done", true).put(Effects.TIME, MongoJson.date(now.minus(Duration.ofDays(31)))),
        new JsonObject().put("_id", "fresh:connect:dexcom").put("done", true).put(Effects.TIME, MongoJson.date(now.minus(Duration.ofDays(29)))),
        new JsonObject().put("_id", "timeless").put("done", true))) {
      mongo.insert(Effects.COLLECTION, record).await();
    }

    long removed = new RetentionSweep(mongo, Effects.COLLECTION, Effects.TIME, Duration.ofDays(30)).sweep(now).await();

    assertEquals(1, removed);
    assertEquals(List.of("fresh:connect:dexcom", "timeless"), mongo.find(Effects.COLLECTION, new JsonObject()).await().stream()
        .map(record -> record.getString("_id")).sorted().toList());
    mongo.close().await();
  }
}
