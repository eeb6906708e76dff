package org.tidepool.clinic.migrations;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites;
import org.tidepool.clinic.mongo.Revision;

/**
 * The {@code migrations} collection, published (an insert starts the migration worker). The
 * unique index {@code UniqueClinicianMigration} on {@code userId} makes a legacy account
 * migratable once, across all clinics, on every backend.
 */
public final class MigrationRepository {
  public static final String COLLECTION = "migrations";
  public static final String UNIQUE_USER_INDEX = "UniqueClinicianMigration";

  private final MongoClient mongo;
  private final PublishedWrites writes;

  public MigrationRepository(MongoClient mongo, PublishedWrites writes) {
    this.mongo = mongo;
    this.writes = writes;
  }

  public static List<IndexSpec> indexes() {
    return List.of(
        IndexSpec.unique(COLLECTION, UNIQUE_USER_INDEX, new JsonObject().put(MigrationDocuments.USER_ID, 1)),
        IndexSpec.plain(COLLECTION, "MigrationsByClinic",
            new JsonObject().put(MigrationDocuments.CLINIC_ID, 1).put(MigrationDocuments.CREATED_TIME, 1)));
  }

  public static String alreadyMigrating(String userId) {
    return "the legacy account " + userId + " has a migration already";
  }

  /**
   * Inserts the new migration. Repeatable: when this migration (its {@code _id}) is stored
   * already, the result is the stored one; another migration of the same account is a 409.
   */
  public Future<Migration> insert(Migration migration) {
    return writes.insert(COLLECTION, MigrationDocuments.newDocument(migration))
        .map(MigrationDocuments::fromDocument)
        .recover(failure -> !MongoJson.isDuplicateKey(failure) ? Future.failedFuture(failure)
            : findById(migration.id()).compose(stored -> stored != null ? Future.succeededFuture(stored)
                : Future.failedFuture(ServiceError.conflict(alreadyMigrating(migration.userId())))));
  }

  public Future<Migration> findById(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", MongoJson.oid(id)), null).map(MigrationDocuments::fromDocument);
  }

  /** The migration of the legacy account, in whichever clinic, or null. */
  public Future<Migration> findByUser(String userId) {
    return mongo.findOne(COLLECTION, new JsonObject().put(MigrationDocuments.USER_ID, userId), null)
        .map(MigrationDocuments::fromDocument);
  }

  /** The clinic's migration of the legacy account, or null. */
  public Future<Migration> find(String clinicId, String userId) {
    return mongo.findOne(COLLECTION, byClinic(clinicId).put(MigrationDocuments.USER_ID, userId), null)
        .map(MigrationDocuments::fromDocument);
  }

  /** The clinic's migrations, oldest first. */
  public Future<List<Migration>> findByClinic(String clinicId) {
    FindOptions options = new FindOptions().setSort(new JsonObject().put(MigrationDocuments.CREATED_TIME, 1).put("_id", 1));
    return mongo.findWithOptions(COLLECTION, byClinic(clinicId), options)
        .map(docs -> docs.stream().map(MigrationDocuments::fromDocument).toList());
  }

  /** Applies the update if the migration is still at the revision it was read at; null when it changed meanwhile. */
  public Future<Migration> update(Migration current, Migration.Update update) {
    return writes.update(COLLECTION, current.id(), Revision.is(current.revision()), MigrationDocuments.updateDocument(update))
        .map(MigrationDocuments::fromDocument);
  }

  private static JsonObject byClinic(String clinicId) {
    return new JsonObject().put(MigrationDocuments.CLINIC_ID, MongoJson.oid(clinicId));
  }
}
