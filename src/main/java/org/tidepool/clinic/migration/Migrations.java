package org.tidepool.clinic.migration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.tidepool.clinic.migrations.Migration;
import org.tidepool.clinic.migrations.MigrationDocuments;
import org.tidepool.clinic.migrations.MigrationRepository;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * Reads the {@code migrations} collection, the durable record of every migration, through the
 * domain's mapper: the store writes it, this verticle only reads which migrations are still to run.
 */
final class Migrations {
  private static final List<String> UNFINISHED = List.of(Migration.Status.PENDING.name(), Migration.Status.RUNNING.name());

  private final MongoClient mongo;

  Migrations(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The migration, or null when there is none with that id. */
  Future<Migration> find(String migrationId) {
    return mongo.findOne(MigrationRepository.COLLECTION, new JsonObject().put("_id", MongoJson.oid(migrationId)), null)
        .map(MigrationDocuments::fromDocument);
  }

  Future<List<Migration>> unfinished() {
    return mongo.find(MigrationRepository.COLLECTION,
            new JsonObject().put(MigrationDocuments.STATUS, new JsonObject().put("$in", new JsonArray(UNFINISHED))))
        .map(found -> found.stream().map(MigrationDocuments::fromDocument).toList());
  }

  static boolean isUnfinished(Migration migration) {
    return migration != null && !migration.status().isFinal();
  }
}
