package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * Collection {@value #COLLECTION} of the clinic database: what a handler already did for one
 * change, so that a redelivered or replayed change repeats nothing (a provider connection's
 * restricted token is made and mailed once: a second delivery neither revokes it nor makes
 * another). {@code {_id: "<change id>:<step>", tokenId?, done, time}}.
 */
public final class Effects {
  public static final String COLLECTION = "cdc_effects";
  /** When the effect was recorded: records older than {@code CDC_EFFECTS_RETENTION} are removed. */
  public static final String TIME = "time";
  private final MongoClient mongo;

  public Effects(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** What was recorded for the step, or null. */
  Future<JsonObject> find(String key) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", key), null);
  }

  Future<Void> record(String key, JsonObject fields) {
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", key),
        new JsonObject().put("$set", fields.copy().put(TIME, MongoJson.date(Instant.now()))),
        new UpdateOptions().setUpsert(true)).mapEmpty();
  }
}
