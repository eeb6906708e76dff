package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;

/**
 * What the connected server really supports. mongo-java-server (the embedded store) accepts a
 * partial index but enforces it as a full one, and takes a collation but sorts in binary order, so
 * both are probed by behaviour, not by version.
 */
public record MongoCapabilities(boolean partialIndexes, boolean collation) {
  private static final String PROBE = "capability_probe";

  public static Future<MongoCapabilities> probe(MongoClient mongo) {
    return partialIndexes(mongo).compose(partial -> collation(mongo).map(collation -> new MongoCapabilities(partial, collation)));
  }

  private static Future<Boolean> partialIndexes(MongoClient mongo) {
    String collection = PROBE + "_" + MongoJson.newId();
    IndexOptions partial = new IndexOptions().name("probe").unique(true)
        .partialFilterExpression(new JsonObject().put("k", new JsonObject().put("$exists", true)));
    Future<Boolean> supported = mongo.createCollection(collection)
        .compose(v -> mongo.createIndexWithOptions(collection, new JsonObject().put("k", 1), partial))
        .compose(v -> mongo.insert(collection, new JsonObject().put("_id", MongoJson.oid(MongoJson.newId()))))
        .compose(v -> mongo.insert(collection, new JsonObject().put("_id", MongoJson.oid(MongoJson.newId()))))
        .map(true)
        .recover(failure -> Future.succeededFuture(false));
    return dropped(mongo, collection, supported);
  }

  /** Whether a find sorts by the {@code en} collation: "a" before "B" (binary order has "B" first). */
  public static Future<Boolean> collation(MongoClient mongo) {
    String collection = PROBE + "_" + MongoJson.newId();
    Future<Boolean> supported = mongo.insert(collection, new JsonObject().put("k", "B"))
        .compose(v -> mongo.insert(collection, new JsonObject().put("k", "a")))
        .compose(v -> mongo.findWithOptions(collection, new JsonObject(), new FindOptions()
            .setSort(new JsonObject().put("k", 1)).setCollation(IndexSpec.EN_STRENGTH_1)))
        .map(found -> found.stream().map(doc -> doc.getString("k")).toList().equals(List.of("a", "B")))
        .recover(failure -> Future.succeededFuture(false));
    return dropped(mongo, collection, supported);
  }

  private static Future<Boolean> dropped(MongoClient mongo, String collection, Future<Boolean> result) {
    return result.compose(value -> mongo.dropCollection(collection).recover(ignored -> Future.succeededFuture()).map(value));
  }
}
