package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings indexes to their declared definitions at start-up: missing ones are created, an index
 * whose definition changed is dropped and recreated (instead of failing start-up). Indexes the
 * server cannot honour (partial ones on the embedded store) are skipped; the repositories enforce
 * those rules in code on every backend.
 */
public final class IndexMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(IndexMigrator.class);

  private final MongoClient mongo;
  private final MongoCapabilities capabilities;

  public IndexMigrator(MongoClient mongo, MongoCapabilities capabilities) {
    this.mongo = mongo;
    this.capabilities = capabilities;
  }

  public Future<Void> ensure(List<IndexSpec> specs) {
    Future<Void> chain = Future.succeededFuture();
    for (IndexSpec spec : specs) {
      // a missing index costs speed, not correctness (uniqueness is also checked in code): go on
      chain = chain.compose(v -> ensure(spec).recover(failure -> {
        LOG.error("index {}.{} could not be brought up to date: {}", spec.collection(), spec.name(), failure.toString());
        return Future.succeededFuture();
      }));
    }
    return chain;
  }

  private Future<Void> ensure(IndexSpec spec) {
    if (spec.partialFilter() != null && !capabilities.partialIndexes()) {
      LOG.debug("skipping partial index {}.{}: the server does not support partial indexes", spec.collection(), spec.name());
      return Future.succeededFuture();
    }
    return existing(spec.collection()).compose(indexes -> {
      Future<Void> prepared = Future.succeededFuture();
      for (Object item : indexes) {
        JsonObject index = (JsonObject) item;
        String name = index.getString("name");
        if ("_id_".equals(name)) {
          continue;
        }
        if (spec.name().equals(name)) {
          if (spec.matches(index)) {
            return Future.succeededFuture();
          }
          LOG.info("index {}.{} changed definition: recreating it", spec.collection(), name);
          prepared = prepared.compose(v -> mongo.dropIndex(spec.collection(), name));
        } else if (sameKeys(index, spec)) {
          // an older name for the same keys would make the creation conflict
          LOG.info("index {}.{} is replaced by {}", spec.collection(), name, spec.name());
          prepared = prepared.compose(v -> mongo.dropIndex(spec.collection(), name));
        }
      }
      return prepared.compose(v -> mongo.createIndexWithOptions(spec.collection(), spec.keys(), spec.options(capabilities.collation())));
    });
  }

  private Future<JsonArray> existing(String collection) {
    return mongo.listIndexes(collection).recover(missingCollection -> Future.succeededFuture(new JsonArray()));
  }

  private static boolean sameKeys(JsonObject index, IndexSpec spec) {
    return !spec.isText() && index.getJsonObject("key", new JsonObject()).encode().equals(spec.keys().encode());
  }
}
