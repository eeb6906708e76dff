package org.tidepool.clinic.migrations;

import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Revision;

/**
 * The one mapper of the {@code migrations} collection: upstream's document
 * {@code {_id: ObjectId, clinicId: ObjectId, userId, status, createdTime, updatedTime}} plus ours,
 * {@code attestationTime} (date), {@code progress: {patientsTotal, patientsMigrated, patientsSkipped}},
 * {@code failureReason} and {@code revision}, each absent until set.
 */
public final class MigrationDocuments {
  public static final String CLINIC_ID = "clinicId";
  public static final String USER_ID = "userId";
  public static final String STATUS = "status";
  public static final String CREATED_TIME = "createdTime";
  public static final String ATTESTATION_TIME = "attestationTime";
  public static final String PROGRESS = "progress";
  public static final String FAILURE_REASON = "failureReason";

  private MigrationDocuments() {}

  public static JsonObject newDocument(Migration migration) {
    JsonObject doc = new JsonObject()
        .put("_id", MongoJson.oid(migration.id()))
        .put(CLINIC_ID, MongoJson.oid(migration.clinicId()))
        .put(USER_ID, migration.userId())
        .put(STATUS, migration.status().name())
        .put(CREATED_TIME, MongoJson.date(migration.createdTime()))
        .put("updatedTime", MongoJson.date(migration.updatedTime()));
    if (migration.attestationTime() != null) {
      doc.put(ATTESTATION_TIME, MongoJson.date(migration.attestationTime()));
    }
    if (migration.progress() != null) {
      doc.put(PROGRESS, progressDocument(migration.progress()));
    }
    if (migration.failureReason() != null) {
      doc.put(FAILURE_REASON, migration.failureReason());
    }
    return doc;
  }

  /** The migration, or null for no document. */
  public static Migration fromDocument(JsonObject doc) {
    if (doc == null) {
      return null;
    }
    JsonObject progress = doc.getJsonObject(PROGRESS);
    return new Migration(MongoJson.hex(doc.getValue("_id")), MongoJson.hex(doc.getValue(CLINIC_ID)), doc.getString(USER_ID),
        Migration.Status.parse(doc.getString(STATUS, Migration.Status.PENDING.name())),
        MongoJson.instant(doc.getValue(CREATED_TIME)), MongoJson.instant(doc.getValue("updatedTime")),
        MongoJson.instant(doc.getValue(ATTESTATION_TIME)),
        progress == null ? null : new Migration.Progress(count(progress, "patientsTotal"), count(progress, "patientsMigrated"),
            count(progress, "patientsSkipped")),
        doc.getString(FAILURE_REASON), Revision.of(doc));
  }

  /** The {@code $set} of an update: the status, and the progress and failure reason when given. */
  public static JsonObject updateDocument(Migration.Update update) {
    JsonObject set = new JsonObject().put(STATUS, update.status().name());
    if (update.progress() != null) {
      set.put(PROGRESS, progressDocument(update.progress()));
    }
    if (update.failureReason() != null) {
      set.put(FAILURE_REASON, update.failureReason());
    }
    return new JsonObject().put("$set", set);
  }

  public static JsonObject progressDocument(Migration.Progress progress) {
    return new JsonObject().put("patientsTotal", progress.patientsTotal()).put("patientsMigrated", progress.patientsMigrated())
        .put("patientsSkipped", progress.patientsSkipped());
  }

  private static long count(JsonObject progress, String field) {
    return progress.getValue(field) instanceof Number number ? number.longValue() : 0;
  }
}
