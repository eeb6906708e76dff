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
 * writes the archive before the deletion and removes it again when the deletion does not happen
 * (an operation resumed after a crash may then archive and delete once more: the archive keeps
 * the document's {@code _id}, so it is written once).
 */
public final class DeletionArchive {
  public static final String CLINIC_DELETIONS = "clinic_deletions";
  public static final String CLINICIAN_DELETIONS = "clinician_deletions";

  private final MongoClient mongo;

  public DeletionArchive(MongoClient mongo) {
    this.mongo = mongo;
  }

  public static List<IndexSpec> clinicIndexes() {
    return List.of(
        IndexSpec.plain(CLINIC_DELETIONS, "ClinicDeletion", new JsonObject().put("clinic._id", 1)),
        IndexSpec.plain(CLINIC_DELETIONS, "DeletedTime", new JsonObject().put("deletedTime", 1).put("clinic._id", 1)));
  }

  public static List<IndexSpec> clinicianIndexes() {
    return List.of(
        IndexSpec.plain(CLINICIAN_DELETIONS, "ClinicianDeletion",
            new JsonObject().put("clinician.clinicId", 1).put("clinician.userId", 1)),
        IndexSpec.plain(CLINICIAN_DELETIONS, "DeletedTime",
            new JsonObject().put("deletedTime", 1).put("clinician.clinicId", 1).put("clinician.userId", 1)));
  }

  /**
   * Writes the archive of the document {@code documentId} of {@code collection} as stored
   * ({@code kind} = "clinic" or "clinician") to {@code archiveCollection}, then runs
   * {@code delete}. When the delete fails or deletes nothing, the archive is removed again and
   * the result is the delete's; null, and nothing archived, when the document is gone. The
   * archive has the document's own {@code _id}, so that writing it again (an operation resumed
   * after a crash) replaces it instead of adding a second one.
   */
  public <T> Future<T> archiveThenDelete(String collection, String documentId, String archiveCollection, String kind,
                                         String deletedByUserId, Supplier<Future<T>> delete) {
    return mongo.findOne(collection, new JsonObject().put("_id", MongoJson.oid(documentId)), null).compose(document -> {
      if (document == null) {
        return Future.<T>succeededFuture(null);
      }
      JsonObject archive = new JsonObject()
          .put("_id", MongoJson.oid(documentId))
          .put("deletedTime", MongoJson.date(Instant.now()))
          .put(kind, document);
      if (deletedByUserId != null) {
        archive.put("deletedByUserId", deletedByUserId);
      }
      return mongo.save(archiveCollection, archive).compose(saved -> delete.get()
          .recover(failure -> unarchive(archiveCollection, documentId).transform(ignored -> Future.failedFuture(failure)))
          .compose(deleted -> deleted != null
              ? Future.succeededFuture(deleted)
              : unarchive(archiveCollection, documentId).map((T) null)));
    });
  }

  /** Removes the archive of a document that was not deleted after all (an operation undone after a crash). */
  public Future<Void> unarchive(String archiveCollection, String documentId) {
    return mongo.removeDocument(archiveCollection, new JsonObject().put("_id", MongoJson.oid(documentId))).mapEmpty();
  }
}
