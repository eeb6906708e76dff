package org.tidepool.clinic.clinics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.Collection;
import java.util.List;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.mongo.PublishedWrites;

/** The {@code clinics} collection. Every write is a {@link PublishedWrites published} one. */
public final class ClinicRepository {
  public static final String COLLECTION = "clinics";
  public static final String LAST_ADMIN = "the clinic must have at least one admin";

  private final MongoClient mongo;
  private final PublishedWrites writes;

  public ClinicRepository(MongoClient mongo, PublishedWrites writes) {
    this.mongo = mongo;
    this.writes = writes;
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

  public Future<Clinic> findById(String clinicId) {
    return mongo.findOne(COLLECTION, byId(clinicId), null).map(ClinicDocuments::fromDocument);
  }

  public Future<Clinic> findByShareCode(String code) {
    return mongo.findOne(COLLECTION, new JsonObject().put("shareCodes", ShareCodes.normalise(code)), null)
        .map(ClinicDocuments::fromDocument);
  }

  /** In {@code _id} order. */
  public Future<List<Clinic>> find(ClinicFilter filter, Page page) {
    FindOptions options = page.applyTo(new FindOptions().setSort(new JsonObject().put("_id", 1)));
    return mongo.findWithOptions(COLLECTION, query(filter), options).map(ClinicRepository::clinics);
  }

  public Future<List<Clinic>> findByIds(Collection<String> clinicIds) {
    JsonArray ids = new JsonArray();
    clinicIds.forEach(id -> ids.add(MongoJson.oid(id)));
    return mongo.find(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", ids))).map(ClinicRepository::clinics);
  }

  /**
   * Inserts a new clinic ({@code demoPatients}: the patients counted from the start). Fails with
   * {@link ShareCodeTaken} when another clinic has its share code. Repeatable: when the clinic
   * (its {@code _id}) is there already, the result is the stored one.
   */
  public Future<Clinic> insert(Clinic clinic, int demoPatients) {
    return findByShareCode(clinic.shareCode()).compose(taken -> {
      if (taken != null) {
        return taken.id().equals(clinic.id()) ? Future.succeededFuture(taken) : Future.failedFuture(new ShareCodeTaken(clinic.shareCode()));
      }
      return writes.insert(COLLECTION, ClinicDocuments.newDocument(clinic, demoPatients))
          .map(ClinicDocuments::fromDocument)
          .recover(failure -> !MongoJson.isDuplicateKey(failure) ? Future.failedFuture(failure)
              : findById(clinic.id()).compose(stored -> stored != null ? Future.succeededFuture(stored)
                  : Future.failedFuture(new ShareCodeTaken(clinic.shareCode()))));
    });
  }

  /** Sets the profile fields that are not null; null when the clinic does not exist. */
  public Future<Clinic> updateProfile(String clinicId, ClinicProfile profile) {
    JsonObject update = new JsonObject().put("$set", ClinicDocuments.profileFields(profile));
    return writes.update(COLLECTION, clinicId, new JsonObject(), update).map(ClinicDocuments::fromDocument);
  }

  /**
   * Sets settings fields of the clinic (whole top-level fields, e.g. {@code tier} or
   * {@code ehrSettings}, built by {@link ClinicSettingsDocuments}); null when the clinic does not exist.
   */
  public Future<Clinic> setSettings(String clinicId, JsonObject fields) {
    return writes.update(COLLECTION, clinicId, new JsonObject(), new JsonObject().put("$set", fields)).map(ClinicDocuments::fromDocument);
  }

  /** Replaces the clinic's patient tags (the caller holds the clinic's lock); null when the clinic does not exist. */
  public Future<Clinic> setPatientTags(String clinicId, List<Clinic.PatientTag> tags) {
    JsonObject set = new JsonObject().put(ClinicDocuments.PATIENT_TAGS, ClinicDocuments.patientTagsDocument(tags));
    return writes.update(COLLECTION, clinicId, new JsonObject(), new JsonObject().put("$set", set)).map(ClinicDocuments::fromDocument);
  }

  /**
   * Removes {@code deleted} from the clinic's tags (leaving {@code remaining}) and records it as
   * {@code lastDeletedPatientTag}: the change the worker strips the tag from the patients on.
   */
  public Future<Clinic> deletePatientTag(String clinicId, List<Clinic.PatientTag> remaining, Clinic.PatientTag deleted) {
    JsonObject set = new JsonObject().put(ClinicDocuments.PATIENT_TAGS, ClinicDocuments.patientTagsDocument(remaining))
        .put(ClinicDocuments.LAST_DELETED_TAG, MongoJson.oid(deleted.id()))
        .put(ClinicDocuments.LAST_DELETED_TAG_NAME, deleted.name());
    return writes.update(COLLECTION, clinicId, new JsonObject(), new JsonObject().put("$set", set)).map(ClinicDocuments::fromDocument);
  }

  /** Replaces the clinic's sites (the caller holds the clinic's lock); null when the clinic does not exist. */
  public Future<Clinic> setSites(String clinicId, List<Clinic.Site> sites) {
    JsonObject set = new JsonObject().put(ClinicDocuments.SITES, ClinicDocuments.sitesDocument(sites));
    return writes.update(COLLECTION, clinicId, new JsonObject(), new JsonObject().put("$set", set)).map(ClinicDocuments::fromDocument);
  }

  /** Sets {@code isMigrated} (no write when it is set already): repeatable. */
  public Future<Void> markMigrated(String clinicId) {
    JsonObject notYet = new JsonObject().put("isMigrated", new JsonObject().put("$ne", true));
    return writes.update(COLLECTION, clinicId, notYet, new JsonObject().put("$set", new JsonObject().put("isMigrated", true))).mapEmpty();
  }

  /** The deleted clinic, or null when there was none. */
  public Future<Clinic> delete(String clinicId) {
    return writes.delete(COLLECTION, clinicId, new JsonObject()).map(ClinicDocuments::fromDocument);
  }

  /** Adds {@code userId} to the clinic's admins (no write when it is there already): repeatable. */
  public Future<Void> addAdmin(String clinicId, String userId) {
    JsonObject notYet = new JsonObject().put("admins", new JsonObject().put("$ne", userId));
    JsonObject update = new JsonObject().put("$addToSet", new JsonObject().put("admins", userId));
    return writes.update(COLLECTION, clinicId, notYet, update).mapEmpty();
  }

  /** Removes {@code userId} from the admins even when none is left (account deletion may orphan a clinic): repeatable. */
  public Future<Void> dropAdmin(String clinicId, String userId) {
    JsonObject isAdmin = new JsonObject().put("admins", userId);
    return writes.update(COLLECTION, clinicId, isAdmin, new JsonObject().put("$pull", new JsonObject().put("admins", userId))).mapEmpty();
  }

  /** Sets the clinic's admins to exactly {@code userIds} (a repair: callers derive them from the clinician records). */
  public Future<Void> replaceAdmins(String clinicId, List<String> userIds) {
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("admins", new JsonArray(userIds)));
    return writes.update(COLLECTION, clinicId, new JsonObject(), update).mapEmpty();
  }

  /**
   * Removes {@code userId} from the admins unless that would leave none: one conditional write on
   * the clinic document, so concurrent removals can never both take the last two admins.
   * Returns whether the user was an admin; fails with 422 when they are the last one.
   */
  public Future<Boolean> removeAdmin(String clinicId, String userId) {
    JsonObject othersRemain = new JsonObject().put("admins", userId).put("admins.1", new JsonObject().put("$exists", true));
    JsonObject update = new JsonObject().put("$pull", new JsonObject().put("admins", userId));
    return writes.update(COLLECTION, clinicId, othersRemain, update).compose(updated -> {
      if (updated != null) {
        return Future.succeededFuture(true);
      }
      return findById(clinicId).compose(clinic -> {
        boolean isAdmin = clinic != null && clinic.admins().contains(userId);
        return isAdmin ? Future.failedFuture(ServiceError.unprocessable(LAST_ADMIN)) : Future.succeededFuture(false);
      });
    });
  }

  private static JsonObject query(ClinicFilter filter) {
    JsonObject query = new JsonObject();
    if (filter.shareCode() != null) {
      query.put("shareCodes", ShareCodes.normalise(filter.shareCode()));
    }
    MongoJson.putDateRange(query, "createdTime", filter.createdFrom(), filter.createdBefore());
    if (Boolean.TRUE.equals(filter.ehrEnabled())) {
      query.put("ehrSettings.enabled", true);
    } else if (Boolean.FALSE.equals(filter.ehrEnabled())) {
      query.put("ehrSettings.enabled", new JsonObject().put("$ne", true));
    }
    return query;
  }

  private static JsonObject byId(String clinicId) {
    return new JsonObject().put("_id", MongoJson.oid(clinicId));
  }

  private static List<Clinic> clinics(List<JsonObject> documents) {
    return documents.stream().map(ClinicDocuments::fromDocument).toList();
  }

  /** Another clinic has the share code: pick another one. */
  public static final class ShareCodeTaken extends RuntimeException {
    ShareCodeTaken(String code) {
      super("share code " + code + " is taken", null, false, false);
    }
  }
}
