package org.tidepool.clinic.cdc.relay;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.UUID;

/**
 * Lets one relay at a time publish from a clinic database, so that processes which all run the
 * {@code cdc-relay} role do not publish each record several times. The lease is one document
 * with an owner and an expiry; its owner renews it, and anyone may take it once it expired.
 */
final class RelayLease {
  static final String COLLECTION = "cdc_relay_lease";
  private static final String LEASE_ID = "relay";

  private final MongoClient mongo;
  private final long ttlMs;
  private final String owner = UUID.randomUUID().toString();
  private long heldUntilNanos;

  RelayLease(MongoClient mongo, long ttlMs) {
    this.mongo = mongo;
    this.ttlMs = ttlMs;
  }

  /**
   * Whether this relay may publish now. It stops believing so well before the lease expires for
   * the others, to leave room for clock differences and a round in flight.
   */
  boolean held() {
    return System.nanoTime() < heldUntilNanos;
  }

  /** Takes or renews the lease; answers whether this relay holds it. */
  Future<Boolean> renew() {
    long started = System.nanoTime();
    Instant now = Instant.now();
    JsonObject mine = new JsonObject().put("owner", owner).put("expiresAt", date(now.plusMillis(ttlMs)));
    JsonObject takeable = new JsonObject().put("_id", LEASE_ID).put("$or", new JsonArray()
        .add(new JsonObject().put("owner", owner))
        .add(new JsonObject().put("expiresAt", new JsonObject().put("$lt", date(now)))));
    return mongo.updateCollection(COLLECTION, takeable, new JsonObject().put("$set", mine))
        .compose(updated -> updated.getDocMatched() == 1 ? Future.succeededFuture(true)
            : mongo.insert(COLLECTION, mine.copy().put("_id", LEASE_ID)).map(true)
                .recover(heldByAnother -> Future.succeededFuture(false)))
        .onSuccess(holding -> heldUntilNanos = holding ? started + ttlMs * 1_000_000 / 2 : 0);
  }

  /** Gives the lease up, so another relay can take over at once. */
  Future<Void> release() {
    heldUntilNanos = 0;
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", LEASE_ID).put("owner", owner)).mapEmpty();
  }

  private static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }
}
