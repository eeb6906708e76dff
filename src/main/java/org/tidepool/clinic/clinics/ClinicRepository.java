package org.tidepool.clinic.clinics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.Collection;
import java.util.List;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;

/** The {@code clinics} collection. Every write goes through the {@link ChangeRecorder}. */
public final class ClinicRepository {
  public static final String COLLECTION = "clinics";
  public static final String LAST_ADMIN = "the clinic must have at least one admin";
  static final int SHARE_CODE_ATTEMPTS = 100;

  private final MongoClient mongo;
  private final ChangeRecorder recorder;
  private final ShareCodes shareCodes = new ShareCodes();

  public ClinicRepository(MongoClient mongo, ChangeRecorder recorder) {
    this.mongo = mongo;
    this.recorder = recorder;
  }

  public static List<IndexSpec> indexes() {
    return List.of(
        IndexSpec.unique(COLLECTION, "UniqueShareCodes", new JsonObject().put("shareCodes", 1)),
        IndexSpec.unique(COLLECTION, "UniqueCanonicalShareCode", new JsonObject().put("canonicalShareCode", 1)),
        IndexSpec.plain(COLLECTION, "ClinicsByCreatedTime", new JsonObject().put("createdTime", 1)),
        IndexSpec.plain(COLLECTION, "EhrEnabled", new JsonObject().put("ehrSettings.enabled", 1)),
        // the EHR (Redox) lookup of a clinic by its source (D24)
        IndexSpec.plain(COLLECTION, "EhrSource", new JsonObject().put("ehrSettings.sourceId", 1).put("ehrSettings.provider", 1)));
  }

  public Future<JsonObject> findById(String clinicId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", MongoJson.oid(clinicId)), null);
  }

  public Future<JsonObject> require(String clinicId) {
    return findById(clinicId).compose(clinic -> clinic != null
        ? Future.succeededFuture(clinic)
        : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found")));
  }

  public Future<JsonObject> findByShareCode(String code) {
    return mongo.findOne(COLLECTION, new JsonObject().put("shareCodes", ShareCodes.normalise(code)), null);
  }

  public Future<List<JsonObject>> find(JsonObject query, Page page) {
    FindOptions options = new FindOptions().setSort(new JsonObject().put("_id", 1))
        .setSkip(page.offset()).setLimit(page.limit());
    return mongo.findWithOptions(COLLECTION, query, options);
  }

  public Future<List<JsonObject>> findByIds(Collection<String> clinicIds) {
    JsonArray ids = new JsonArray();
    clinicIds.forEach(id -> ids.add(MongoJson.oid(id)));
    return mongo.find(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", ids)));
  }

  /** Inserts a new clinic under a fresh, unique share code (retrying on collisions). */
  public Future<JsonObject> insertWithShareCode(JsonObject clinic) {
    return insertWithShareCode(clinic, SHARE_CODE_ATTEMPTS);
  }

  private Future<JsonObject> insertWithShareCode(JsonObject clinic, int attemptsLeft) {
    if (attemptsLeft == 0) {
      return Future.failedFuture(new IllegalStateException("no free share code after " + SHARE_CODE_ATTEMPTS + " attempts"));
    }
    String code = shareCodes.next();
    return findByShareCode(code).compose(taken -> {
      if (taken != null) {
        return insertWithShareCode(clinic, attemptsLeft - 1);
      }
      JsonObject document = clinic.copy().put("canonicalShareCode", code).put("shareCodes", new JsonArray().add(code));
      return recorder.insert(COLLECTION, document).recover(failure -> MongoJson.isDuplicateKey(failure)
          ? insertWithShareCode(clinic, attemptsLeft - 1)
          : Future.failedFuture(failure));
    });
  }

  /** Updates the clinic; null when it does not exist. */
  public Future<JsonObject> update(String clinicId, JsonObject update) {
    return recorder.update(COLLECTION, clinicId, new JsonObject(), update);
  }

  public Future<JsonObject> delete(String clinicId) {
    return recorder.delete(COLLECTION, clinicId, new JsonObject());
  }

  /** Adds {@code userId} to the clinic's admins (no write when it is there already). */
  public Future<Void> addAdmin(String clinicId, String userId) {
    JsonObject notYet = new JsonObject().put("admins", new JsonObject().put("$ne", userId));
    JsonObject update = new JsonObject().put("$addToSet", new JsonObject().put("admins", userId));
    return recorder.update(COLLECTION, clinicId, notYet, update).mapEmpty();
  }

  /**
   * Removes {@code userId} from the admins unless that would leave none: one conditional write on
   * the clinic document, so concurrent removals can never both take the last two admins.
   * Returns whether the user was an admin; fails with 422 when they are the last one.
   */
  public Future<Boolean> removeAdmin(String clinicId, String userId) {
    JsonObject othersRemain = new JsonObject().put("admins", userId).put("admins.1", new JsonObject().put("$exists", true));
    JsonObject update = new JsonObject().put("$pull", new JsonObject().put("admins", userId));
    return recorder.update(COLLECTION, clinicId, othersRemain, update).compose(updated -> {
      if (updated != null) {
        return Future.succeededFuture(true);
      }
      return findById(clinicId).compose(clinic -> {
        boolean isAdmin = clinic != null && clinic.getJsonArray("admins", new JsonArray()).contains(userId);
        return isAdmin ? Future.failedFuture(ServiceError.unprocessable(LAST_ADMIN)) : Future.succeededFuture(false);
      });
    });
  }
}
