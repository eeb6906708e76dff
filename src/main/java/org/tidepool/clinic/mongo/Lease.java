package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.UUID;

/**
 * Lets one process at a time do a piece of work (the relay's publishing, one migration's run),
 * also between processes that share only the database. The lease is one document
 * {@code {_id, owner, expiresAt}}; its owner renews it, and anyone may take it once it expired.
 * Every change is one conditional write, so two takers cannot both win.
 */
public final class Lease {
  private final MongoClient mongo;
  private final String collection;
  private final String id;
  private final long ttlMs;
  private final String owner;
  private long heldUntilNanos;

  public Lease(MongoClient mongo, String collection, String id, long ttlMs) {
    this(mongo, collection, id, ttlMs, UUID.randomUUID().toString());
  }

  public Lease(MongoClient mongo, String collection, String id, long ttlMs, String owner) {
    this.mongo = mongo;
    this.collection = collection;
    this.id = id;
    this.ttlMs = ttlMs;
    this.owner = owner;
  }

  public String id() {
    return id;
  }

  /**
   * Whether the holder may act now. It stops believing so well before the lease expires for
   * the others, to leave room for clock differences and work in flight.
   */
  public boolean held() {
    return System.nanoTime() < heldUntilNanos;
  }

  /** Takes or renews the lease; answers whether this owner holds it. */
  public Future<Boolean> renew() {
    long started = System.nanoTime();
    Instant now = Instant.now();
    JsonObject mine = new JsonObject().put("owner", owner).put("expiresAt", date(now.plusMillis(ttlMs)));
    JsonObject takeable = new JsonObject().put("_id", id).put("$or", new JsonArray()
        .add(new JsonObject().put("owner", owner))
        .add(new JsonObject().put("expiresAt", new JsonObject().put("$lt", date(now)))));
    return mongo.updateCollection(collection, takeable, new JsonObject().put("$set", mine))
        .compose(updated -> updated.getDocMatched() == 1 ? Future.succeededFuture(true)
            : mongo.insert(collection, mine.copy().put("_id", id)).map(true)
                .recover(heldByAnother -> Future.succeededFuture(false)))
        .onSuccess(holding -> heldUntilNanos = holding ? started + ttlMs * 1_000_000 / 2 : 0);
  }

  /** Gives the lease up, so another process can take over at once. */
  public Future<Void> release() {
    heldUntilNanos = 0;
    return mongo.removeDocument(collection, new JsonObject().put("_id", id).put("owner", owner)).mapEmpty();
  }

  private static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }
}
