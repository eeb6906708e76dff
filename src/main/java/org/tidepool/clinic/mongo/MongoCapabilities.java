package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

/**
 * What the connected server really supports. mongo-java-server (the embedded store) accepts a
 * partial index but enforces it as a full one, so it is probed by behaviour, not by version.
 */
public record MongoCapabilities(boolean partialIndexes) {
  private static final String PROBE = "capability_probe";

  public static Future<MongoCapabilities> probe(MongoClient mongo) {
    String collection = PROBE + "_" + MongoJson.newId();
    IndexOptions partial = new IndexOptions().name("probe").unique(true)
        .partialFilterExpression(new JsonObject().put("k", new JsonObject().put("$exists", true)));
    Future<Boolean> supported = mongo.createCollection(collection)
        .compose(v -> mongo.createIndexWithOptions(collection, new JsonObject().put("k", 1), partial))
        .compose(v -> mongo.insert(collection, new JsonObject().put("_id", MongoJson.oid(MongoJson.newId()))))
        .compose(v -> mongo.insert(collection, new JsonObject().put("_id", MongoJson.oid(MongoJson.newId()))))
        .map(true)
        .recover(failure -> Future.succeededFuture(false));
    return supported.compose(result -> mongo.dropCollection(collection)
        .recover(ignored -> Future.succeededFuture())
        .map(new MongoCapabilities(result)));
  }
}
