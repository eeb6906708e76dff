package org.tidepool.clinic.migration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tidepool.clinic.mongo.UnjournaledWrites;

/**
 * The patients a migration has finished, one document each
 * {@code {_id: "<migration id>:<patient id>", migrationId, patientId, outcome}}: what a resumed
 * migration skips, and its exact progress. Written {@link #STARTED} before the patient's first
 * step (its batch at once) and with its outcome after its last, so a patient cut short is done
 * again, each step of it repeating safely, and still counted in the total though its legacy share
 * may be gone already.
 */
final class MigratedPatients {
  static final String COLLECTION = "migration_patients";
  static final String MIGRATED = "migrated";
  static final String SKIPPED = "skipped";
  /** A patient whose steps have begun: counted in the total even once its share is gone, and done again. */
  static final String STARTED = "started";

  private final MongoClient mongo;

  MigratedPatients(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Patient id → outcome, of the patients the migration has finished. */
  Future<Map<String, String>> finished(String migrationId) {
    return mongo.find(COLLECTION, new JsonObject().put("migrationId", migrationId)).map(docs -> {
      Map<String, String> outcomes = new HashMap<>();
      docs.forEach(doc -> outcomes.put(doc.getString("patientId"), doc.getString("outcome")));
      return outcomes;
    });
  }

  Future<Void> record(String migrationId, String patientId, String outcome) {
    JsonObject doc = new JsonObject().put("_id", migrationId + ":" + patientId).put("migrationId", migrationId)
        .put("patientId", patientId).put("outcome", outcome);
    return mongo.save(COLLECTION, doc).mapEmpty();
  }

  /** {@link #record} of several patients (patient id → outcome) in one bulk write. */
  Future<Void> recordAll(String migrationId, Map<String, String> outcomes) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> writes = new ArrayList<>();
    outcomes.forEach((patientId, outcome) -> {
      JsonObject doc = new JsonObject().put("_id", migrationId + ":" + patientId).put("migrationId", migrationId)
          .put("patientId", patientId).put("outcome", outcome);
      writes.add(BulkOperation.createReplace(new JsonObject().put("_id", doc.getString("_id")), doc, true));
    });
    return mongo.bulkWriteWithOptions(COLLECTION, writes, new BulkWriteOptions(false)).mapEmpty();
  }

  /**
   * Records the patients {@link #STARTED}, not journaled on its own: a patient's share goes only
   * after the journaled writes of its creation on the same server, which make this durable too.
   */
  Future<Void> recordStarted(String migrationId, List<String> patientIds) {
    List<JsonObject> docs = new ArrayList<>();
    patientIds.forEach(patientId -> docs.add(new JsonObject().put("_id", migrationId + ":" + patientId).put("migrationId", migrationId)
        .put("patientId", patientId).put("outcome", STARTED)));
    return UnjournaledWrites.upsertAll(mongo, COLLECTION, docs);
  }

  Future<Void> createIndexes() {
    return mongo.createIndex(COLLECTION, new JsonObject().put("migrationId", 1));
  }
}
