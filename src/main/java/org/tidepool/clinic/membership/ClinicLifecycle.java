package org.tidepool.clinic.membership;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.tidepool.clinic.clinicians.Clinician;
import org.tidepool.clinic.clinicians.ClinicianDocuments;
import org.tidepool.clinic.clinicians.ClinicianFilter;
import org.tidepool.clinic.clinicians.ClinicianRepository;
import org.tidepool.clinic.clinicians.Roles;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicProfile;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicRepository.ShareCodeTaken;
import org.tidepool.clinic.clinics.ShareCodes;
import org.tidepool.clinic.clinics.Tiers;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.deletions.DeletionArchive;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.Intent;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * A clinic's life: created with its first admin and the demo patient, deleted with its members.
 * Each runs under the clinic's lock as a recorded intent ({@link IntentLog}) whose values (ids,
 * timestamps, share code) are decided before the first step, and is converged from that record
 * when a crash or a failure cuts it short: a creation whose clinic is visible is completed (its
 * insert may already be published, and mailed), one whose clinic is not is removed; a decided
 * deletion is finished.
 */
public final class ClinicLifecycle {
  public static final String NOT_EMPTY = "deletion of non-empty clinics is not allowed";
  static final String CREATE_CLINIC = "CreateClinic";
  static final String DELETE_CLINIC = "DeleteClinic";
  static final int SHARE_CODE_ATTEMPTS = 100;

  private final ClinicRepository clinics;
  private final ClinicianRepository clinicians;
  private final ClinicPatients patients;
  private final DeletionArchive archive;
  private final UserDirectory users;
  private final ClinicLock locks;
  private final IntentLog intents;
  private final ShareCodes shareCodes = new ShareCodes();

  public ClinicLifecycle(ClinicRepository clinics, ClinicianRepository clinicians, ClinicPatients patients,
                         DeletionArchive archive, UserDirectory users, ClinicLock locks, IntentLog intents) {
    this.clinics = clinics;
    this.clinicians = clinicians;
    this.patients = patients;
    this.archive = archive;
    this.users = users;
    this.locks = locks;
    this.intents = intents;
    intents.register(CREATE_CLINIC, this::convergeCreation).register(DELETE_CLINIC, this::finishDeletion);
  }

  /** What a clinic creation writes, decided up front. */
  record Creation(Clinic clinic, Clinician firstAdmin, String demoPatientId) {
    Creation withShareCode(String code) {
      return new Creation(clinic.withShareCode(code), firstAdmin, demoPatientId);
    }

    JsonObject params() {
      return new JsonObject().put("firstAdmin", ClinicianDocuments.newDocument(firstAdmin)).put("demoPatientId", demoPatientId);
    }
  }

  /**
   * The user {@code creatorId} creates a clinic and becomes its first admin; the clinic is
   * migrated, on the default tier and limits, with the demo patient when one is configured.
   */
  public Future<Clinic> create(String creatorId, ClinicProfile profile) {
    if (profile.name() == null) {
      throw ServiceError.badRequest("name is required");
    }
    return users.find(creatorId).compose(creator -> {
      if (creator == null) {
        return Future.failedFuture(ServiceError.notFound("user " + creatorId + " not found"));
      }
      if (creator.email() == null || creator.email().isBlank()) {
        return Future.failedFuture(ServiceError.unprocessable("user " + creatorId + " has no email address"));
      }
      return run(plan(profile, creator));
    });
  }

  private Creation plan(ClinicProfile profile, User creator) {
    Instant now = Instant.now();
    String clinicId = MongoJson.newId();
    Clinic clinic = new Clinic(clinicId, profile, shareCodes.next(), List.of(creator.id()), true, Tiers.DEFAULT,
        null, null, null, now, now, 0);
    Clinician admin = Clinician.create(MongoJson.newId(), clinicId, Roles.of(Roles.ADMIN), now)
        .withUser(creator.id())
        .withEmail(creator.email() == null ? null : creator.email().toLowerCase(Locale.ROOT))
        .withName(creator.fullName());
    return new Creation(clinic, admin, MongoJson.newId());
  }

  /** Clinic, first admin, demo patient; a failed step undoes the others. */
  private Future<Clinic> run(Creation creation) {
    String clinicId = creation.clinic().id();
    int demo = patients.hasDemoPatient() ? 1 : 0;
    return locks.run(clinicId, () -> intents.run(CREATE_CLINIC, clinicId, creation.params(), steps ->
        insertClinic(creation, demo, SHARE_CODE_ATTEMPTS).compose(inserted -> steps.reached("clinic-inserted")
            .compose(v -> clinicians.insert(creation.firstAdmin()))
            .compose(admin -> steps.reached("admin-inserted"))
            .compose(v -> patients.addDemoPatient(creation.demoPatientId(), clinicId, creation.clinic().createdTime()))
            .map(inserted)
            .recover(failure -> discardClinicians(clinicId)
                .compose(v -> patients.removeDemoPatient(clinicId))
                .compose(v -> clinics.delete(clinicId))
                .transform(undone -> Future.failedFuture(failure))))));
  }

  /** The one step whose value may change: a share code another clinic took meanwhile is drawn again. */
  private Future<Clinic> insertClinic(Creation creation, int demoPatients, int attemptsLeft) {
    if (attemptsLeft == 0) {
      return Future.failedFuture(new IllegalStateException("no free share code after " + SHARE_CODE_ATTEMPTS + " attempts"));
    }
    return clinics.insert(creation.clinic(), demoPatients).recover(failure -> failure instanceof ShareCodeTaken
        ? insertClinic(creation.withShareCode(shareCodes.next()), demoPatients, attemptsLeft - 1)
        : Future.failedFuture(failure));
  }

  private Future<Void> convergeCreation(Intent intent) {
    String clinicId = intent.clinicId();
    Clinician firstAdmin = ClinicianDocuments.fromDocument(intent.params().getJsonObject("firstAdmin"));
    String demoPatientId = intent.params().getString("demoPatientId");
    return clinics.findById(clinicId).compose(clinic -> {
      if (clinic == null) {
        return clinicians.discard(firstAdmin.id()).compose(v -> patients.removeDemoPatient(clinicId));
      }
      // the creator is still meant to be an admin unless a later change removed them
      return clinicians.findByUser(clinicId, firstAdmin.userId())
          .compose(member -> member != null || !clinic.admins().contains(firstAdmin.userId())
              ? Future.succeededFuture() : clinicians.insert(firstAdmin).mapEmpty())
          .compose(v -> patients.addDemoPatient(demoPatientId, clinicId, clinic.createdTime()));
    });
  }

  /**
   * Only a clinic without patients (the demo patient aside) is deleted; clinic and clinicians are
   * archived. The clinic's archive is written first, so that when it cannot be, nothing is removed.
   * {@code deletedByUserId} is null for a backend service.
   */
  public Future<Void> delete(String clinicId, String deletedByUserId) {
    // under the clinic's lock: no member joins the clinic while it goes
    JsonObject params = deletedByUserId == null ? new JsonObject() : new JsonObject().put("deletedByUserId", deletedByUserId);
    return locks.run(clinicId, () -> clinics.findById(clinicId)
        .compose(clinic -> clinic == null ? Future.succeededFuture(null) : patients.countRealPatients(clinicId).compose(count -> count > 0
            ? Future.failedFuture(ServiceError.badRequest(NOT_EMPTY))
            : intents.run(DELETE_CLINIC, clinicId, params, steps -> remove(clinicId, deletedByUserId, steps::reached)))))
        .compose(deleted -> deleted != null ? Future.<Void>succeededFuture()
            : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found")));
  }

  private Future<Clinic> remove(String clinicId, String deletedByUserId, Function<String, Future<Void>> reached) {
    return archive.archiveThenDelete(ClinicRepository.COLLECTION, clinicId, DeletionArchive.CLINIC_DELETIONS, "clinic",
        deletedByUserId, () -> reached.apply("clinic-archived")
            .compose(v -> patients.removeDemoPatient(clinicId))
            .compose(v -> forEachClinician(clinicId, member -> clinicians.archiveAndDelete(member.id(), deletedByUserId).mapEmpty()))
            .compose(v -> reached.apply("clinicians-deleted"))
            .compose(v -> clinics.delete(clinicId)));
  }

  private Future<Void> finishDeletion(Intent intent) {
    return remove(intent.clinicId(), intent.params().getString("deletedByUserId"), step -> Future.succeededFuture()).mapEmpty();
  }

  /** Undoes the clinician records of a clinic whose creation failed (nothing to archive). */
  private Future<Void> discardClinicians(String clinicId) {
    return forEachClinician(clinicId, clinician -> clinicians.discard(clinician.id()).mapEmpty());
  }

  private Future<Void> forEachClinician(String clinicId, Function<Clinician, Future<Void>> action) {
    return clinicians.find(ClinicianFilter.ofClinic(clinicId), null).compose(all -> {
      Future<Void> chain = Future.succeededFuture();
      for (Clinician clinician : all) {
        chain = chain.compose(v -> action.apply(clinician));
      }
      return chain;
    });
  }
}
