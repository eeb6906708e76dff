package org.tidepool.clinic.deletions;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * Archives of deleted documents ({@code clinic_deletions}, {@code clinician_deletions}):
 * {@code {deletedTime, deletedByUserId?, <kind>: the document}}. {@link #archiveThenDelete}
 * makes the archive and the deletion succeed or fail together.
 */
public final class DeletionArchive {
  public static final String CLINIC_DELETIONS = "clinic_deletions";
  public static final String CLINICIAN_DELETIONS = "clinician_deletions";

  private final MongoClient mongo;

  public DeletionArchive(MongoClient mongo) {
    this.mongo = mongo;
  }

  public static List<IndexSpec> indexes() {
    return List.of(
        IndexSpec.plain(CLINIC_DELETIONS, "ClinicDeletion", new JsonObject().put("clinic._id", 1)),
        IndexSpec.plain(CLINIC_DELETIONS, "DeletedTime", new JsonObject().put("deletedTime", 1).put("clinic._id", 1)),
        IndexSpec.plain(CLINICIAN_DELETIONS, "ClinicianDeletion",
            new JsonObject().put("clinician.clinicId", 1).put("clinician.userId", 1)),
        IndexSpec.plain(CLINICIAN_DELETIONS, "DeletedTime",
            new JsonObject().put("deletedTime", 1).put("clinician.clinicId", 1).put("clinician.userId", 1)));
  }

  /**
   * Writes the archive of {@code document} ({@code kind} = "clinic" or "clinician"), then runs
   * {@code delete}. When the delete fails or deletes nothing, the archive is removed again and
   * the result is the delete's.
   */
  public Future<JsonObject> archiveThenDelete(String collection, String kind, JsonObject document, String deletedByUserId,
                                              Supplier<Future<JsonObject>> delete) {
    String archiveId = MongoJson.newId();
    JsonObject archive = new JsonObject()
        .put("_id", MongoJson.oid(archiveId))
        .put("deletedTime", MongoJson.date(Instant.now()))
        .put(kind, document);
    if (deletedByUserId != null) {
      archive.put("deletedByUserId", deletedByUserId);
    }
    JsonObject archiveKey = new JsonObject().put("_id", MongoJson.oid(archiveId));
    return mongo.insert(collection, archive).compose(inserted -> delete.get()
        .recover(failure -> mongo.removeDocument(collection, archiveKey).transform(ignored -> Future.failedFuture(failure)))
        .compose(deleted -> deleted != null
            ? Future.succeededFuture(deleted)
            : mongo.removeDocument(collection, archiveKey).map((JsonObject) null)));
  }
}
