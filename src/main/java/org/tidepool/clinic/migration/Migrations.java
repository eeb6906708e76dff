package org.tidepool.clinic.migration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * Reads the {@code migrations} collection, the durable record of every migration
 * {@code {_id, clinicId: ObjectId, userId, status, ...}}: the store writes it, this verticle only
 * reads which migrations are still to run.
 */
final class Migrations {
  static final String COLLECTION = "migrations";
  static final List<String> UNFINISHED = List.of("PENDING", MigrationRun.RUNNING);

  private final MongoClient mongo;

  Migrations(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The migration, or null when there is none with that id. */
  Future<JsonObject> find(String migrationId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", MongoJson.oid(migrationId)), null);
  }

  Future<List<JsonObject>> unfinished() {
    return mongo.find(COLLECTION, new JsonObject().put("status", new JsonObject().put("$in", new JsonArray(UNFINISHED))));
  }

  static boolean isUnfinished(JsonObject migration) {
    return migration != null && UNFINISHED.contains(migration.getString("status"));
  }

  static String id(JsonObject migration) {
    return MongoJson.hex(migration.getValue("_id"));
  }

  static String clinicId(JsonObject migration) {
    return MongoJson.hex(migration.getValue("clinicId"));
  }
}
