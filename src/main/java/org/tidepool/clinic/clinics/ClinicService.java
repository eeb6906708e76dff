package org.tidepool.clinic.clinics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.tidepool.clinic.clinicians.ClinicMembershipLock;
import org.tidepool.clinic.clinicians.ClinicianService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.deletions.DeletionArchive;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.store.StoreRequest;

/** Clinic operations: creation with its first admin and demo patient, reads, profile updates, deletion. */
public final class ClinicService {
  public static final String NOT_EMPTY = "deletion of non-empty clinics is not allowed";
  static final int DEFAULT_HARD_LIMIT = 250;

  private final ClinicRepository clinics;
  private final ClinicianService clinicians;
  private final ClinicPatients patients;
  private final DeletionArchive archive;
  private final UserDirectory users;
  private final String demoPatientUserId;
  private final ClinicMembershipLock membership;

  public ClinicService(ClinicRepository clinics, ClinicianService clinicians, ClinicPatients patients,
                       DeletionArchive archive, UserDirectory users, String demoPatientUserId, ClinicMembershipLock membership) {
    this.clinics = clinics;
    this.clinicians = clinicians;
    this.patients = patients;
    this.archive = archive;
    this.users = users;
    this.demoPatientUserId = demoPatientUserId;
    this.membership = membership;
  }

  public Future<JsonArray> list(StoreRequest request) {
    JsonObject query = new JsonObject();
    String shareCode = request.query("shareCode");
    if (shareCode != null) {
      query.put("shareCodes", ShareCodes.normalise(shareCode));
    }
    JsonObject created = request.createdTimeRange();
    if (!created.isEmpty()) {
      query.put("createdTime", created);
    }
    Boolean ehrEnabled = request.queryBoolean("ehrEnabled");
    if (Boolean.TRUE.equals(ehrEnabled)) {
      query.put("ehrSettings.enabled", true);
    } else if (Boolean.FALSE.equals(ehrEnabled)) {
      query.put("ehrSettings.enabled", new JsonObject().put("$ne", true));
    }
    return clinics.find(query, request.page()).map(ClinicService::toApiArray);
  }

  public Future<JsonObject> get(StoreRequest request) {
    return clinics.require(request.pathObjectId("clinicId")).map(ClinicDocuments::toApi);
  }

  public Future<JsonObject> getByShareCode(StoreRequest request) {
    String code = request.path("shareCode");
    return clinics.findByShareCode(code).compose(clinic -> clinic != null
        ? Future.succeededFuture(ClinicDocuments.toApi(clinic))
        : Future.failedFuture(ServiceError.notFound("no clinic has share code " + code)));
  }

  /** The caller becomes the first admin; the clinic is migrated, on the default tier and limits. */
  public Future<JsonObject> create(StoreRequest request) {
    if (request.callerIsServer() || request.callerId() == null) {
      throw ServiceError.badRequest("a clinic must be created by a user");
    }
    JsonObject profile = ClinicDocuments.profile(request.body());
    if (profile.getString("name") == null) {
      throw ServiceError.badRequest("name is required");
    }
    String creatorId = request.callerId();
    return users.find(creatorId).compose(creator -> {
      if (creator == null) {
        return Future.failedFuture(ServiceError.notFound("user " + creatorId + " not found"));
      }
      if (creator.email() == null || creator.email().isBlank()) {
        return Future.failedFuture(ServiceError.unprocessable("user " + creatorId + " has no email address"));
      }
      return insertClinic(profile, creator);
    });
  }

  private Future<JsonObject> insertClinic(JsonObject profile, User creator) {
    JsonObject now = MongoJson.date(Instant.now());
    int demo = patients.hasDemoPatient() ? 1 : 0;
    JsonObject clinic = profile.copy()
        .put("_id", MongoJson.oid(MongoJson.newId()))
        .put("admins", new JsonArray().add(creator.id()))
        .put("isMigrated", true)
        .put("tier", Tiers.DEFAULT)
        .put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", DEFAULT_HARD_LIMIT)))
        .put("patientCount", new JsonObject().put("total", demo).put("demo", demo).put("plan", 0))
        .put("createdTime", now)
        .put("updatedTime", now);
    if (!clinic.containsKey(ClinicDocuments.BG_UNITS_FIELD)) {
      clinic.put(ClinicDocuments.BG_UNITS_FIELD, "mg/dL");
    }
    return clinics.insertWithShareCode(clinic).compose(inserted -> {
      String clinicId = MongoJson.hex(inserted.getValue("_id"));
      Future<Void> members = clinicians.insertFirstAdmin(clinicId, creator).mapEmpty();
      Future<Void> withDemo = members.compose(v -> patients.hasDemoPatient()
          ? users.find(demoPatientUserId).compose(demoUser -> patients.addDemoPatient(clinicId, demoUser))
          : Future.succeededFuture());
      return withDemo
          .map(v -> ClinicDocuments.toApi(inserted))
          // nothing half-written: undo the clinic and its admin when a later step fails
          .recover(failure -> clinicians.discardAllOfClinic(clinicId)
              .compose(v -> patients.removeDemoPatient(clinicId))
              .compose(v -> clinics.delete(clinicId))
              .transform(undone -> Future.failedFuture(failure)));
    });
  }

  /** Profile fields present in the body change; absent ones stay as stored (D18). */
  public Future<JsonObject> update(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    JsonObject profile = ClinicDocuments.profile(request.body());
    return clinics.update(clinicId, new JsonObject().put("$set", profile)).compose(updated -> updated != null
        ? Future.succeededFuture(ClinicDocuments.toApi(updated))
        : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found")));
  }

  /**
   * Only a clinic without patients (the demo patient aside) is deleted; clinic and clinicians are
   * archived. The clinic's archive is written first, so that when it cannot be, nothing is removed.
   */
  public Future<Void> delete(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String deletedBy = request.callerIsServer() ? null : request.callerId();
    // under the membership lock: no member joins the clinic while it goes
    return membership.run(clinicId, () -> clinics.require(clinicId)
        .compose(clinic -> patients.countRealPatients(clinicId).compose(count -> count > 0
            ? Future.failedFuture(ServiceError.badRequest(NOT_EMPTY))
            : archive.archiveThenDelete(DeletionArchive.CLINIC_DELETIONS, "clinic", clinic, deletedBy,
                () -> patients.removeDemoPatient(clinicId)
                    .compose(v -> clinicians.deleteAllOfClinic(clinicId, deletedBy))
                    .compose(v -> clinics.delete(clinicId))))))
        .compose(deleted -> deleted != null ? Future.<Void>succeededFuture()
            : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found")));
  }

  private static JsonArray toApiArray(List<JsonObject> docs) {
    JsonArray result = new JsonArray();
    docs.forEach(doc -> result.add(ClinicDocuments.toApi(doc)));
    return result;
  }
}
