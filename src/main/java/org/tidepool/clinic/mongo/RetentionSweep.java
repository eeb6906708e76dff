package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the documents of a collection whose date field is older than the retention, at start
 * and then every {@value #PERIOD_MS} ms. A sweep rather than a TTL index: the embedded store
 * (mongo-java-server) keeps TTL indexes but never expires anything, and one mechanism serves both
 * backends. A failed sweep is logged and tried again at the next period.
 */
public final class RetentionSweep {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
  public static final long PERIOD_MS = 3_600_000;

  private final MongoClient mongo;
  private final String collection;
  private final String dateField;
  private final Duration retention;

  public RetentionSweep(MongoClient mongo, String collection, String dateField, Duration retention) {
    this.mongo = mongo;
    this.collection = collection;
    this.dateField = dateField;
    this.retention = retention;
  }

  /** Removes what is older than the retention at {@code now}; answers how many documents went. */
  public Future<Long> sweep(Instant now) {
    JsonObject older = new JsonObject().put(dateField, new JsonObject().put("$lt", MongoJson.date(now.minus(retention))));
    return mongo.removeDocuments(collection, older).map(result -> result == null ? 0L : result.getRemovedCount())
        .onSuccess(removed -> {
          if (removed > 0) {
            log.info("{}: {} record(s) older than {} removed", collection, removed, retention);
          }
        })
        .onFailure(failure -> log.warn("{}: old records not removed: {}", collection, failure.toString()));
  }

  /** Sweeps now and every period; answers the timer id (cancel it on stop). */
  public long schedule(Vertx vertx) {
    sweep(Instant.now());
    return vertx.setPeriodic(PERIOD_MS, id -> sweep(Instant.now()));
  }
}
