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
 * when a crash or a failure cuts it short: a creation writes its clinic last, so one cut short is
 * removed; a decided deletion is finished.
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

  /** What a clinic creation writes, decided up front ({@code demoPatientId} null: none). */
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

  /**
   * EnableNewClinicExperience: an empty clinic (no profile yet), not migrated, without demo
   * patient, whose first and only admin is the legacy clinic account {@code owner}; its patients
   * come with the migration its admin triggers once the profile is complete.
   */
  public Future<Clinic> createForLegacyAccount(User owner) {
    if (owner.email() == null || owner.email().isBlank()) {
      return Future.failedFuture(ServiceError.unprocessable("user " + owner.id() + " has no email address"));
    }
    ClinicProfile empty = new ClinicProfile(null, null, null, null, null, null, null, null, null, null, null, null);
    Creation creation = plan(empty, owner, false);
    return run(new Creation(creation.clinic(), creation.firstAdmin(), null));
  }

  private Creation plan(ClinicProfile profile, User creator) {
    return plan(profile, creator, true);
  }

  private Creation plan(ClinicProfile profile, User creator, boolean migrated) {
    Instant now = Instant.now();
    String clinicId = MongoJson.newId();
    Clinic clinic = new Clinic(clinicId, profile, shareCodes.next(), List.of(creator.id()), migrated, Tiers.DEFAULT,
        null, null, null, now, now, 0);
    Clinician admin = Clinician.create(MongoJson.newId(), clinicId, Roles.of(Roles.ADMIN), now)
        .withUser(creator.id())
        .withEmail(creator.email() == null ? null : creator.email().toLowerCase(Locale.ROOT))
        .withName(creator.fullName());
    return new Creation(clinic, admin, MongoJson.newId());
  }

  /**
   * First admin, demo patient, then the clinic: the clinic's insert is the last step, so that a
   * creation is visible (and its insert published, and mailed) only once it is complete. When a
   * step fails, or a crash cuts the creation short, the resumer removes what was written.
   */
  private Future<Clinic> run(Creation creation) {
    String clinicId = creation.clinic().id();
    boolean withDemo = creation.demoPatientId() != null && patients.hasDemoPatient();
    int demo = withDemo ? 1 : 0;
    return locks.run(clinicId, () -> intents.run(CREATE_CLINIC, clinicId, creation.params(), steps ->
        clinicians.insert(creation.firstAdmin())
            .compose(admin -> steps.reached("admin-inserted"))
            .compose(v -> withDemo ? patients.addDemoPatient(creation.demoPatientId(), clinicId, creation.clinic().createdTime())
                : Future.<Void>succeededFuture())
            .compose(v -> steps.reached("demo-patient-added"))
            .compose(v -> insertClinic(creation, demo, SHARE_CODE_ATTEMPTS))));
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

  /** A creation cut short: without its clinic (the last step), whatever it wrote goes. */
  private Future<Void> convergeCreation(Intent intent) {
    String clinicId = intent.clinicId();
    String firstAdminId = ClinicianDocuments.fromDocument(intent.params().getJsonObject("firstAdmin")).id();
    return clinics.findById(clinicId).compose(clinic -> clinic != null ? Future.succeededFuture()
        : clinicians.discard(firstAdminId).compose(v -> patients.removeDemoPatient(clinicId)));
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
