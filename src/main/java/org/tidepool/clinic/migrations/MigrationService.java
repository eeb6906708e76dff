package org.tidepool.clinic.migrations;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.tidepool.clinic.clinicians.ClinicianService;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.Intent;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.membership.ClinicLifecycle;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * Legacy-clinic migrations (upstream rule 29): a legacy clinic account gets an empty clinic, its
 * admin triggers the migration of the account's patients once the profile is complete, and other
 * legacy clinicians of a migrated clinic may follow; the migration worker reports progress. A
 * legacy account is migrated once, across all clinics (409: the unique index on the migration's
 * {@code userId}, which also holds between clinics, whose locks differ). The initial migration writes the
 * migration and the clinic's {@code isMigrated} as an intent: both or neither (D14).
 */
public final class MigrationService {
  public static final String ALREADY_MIGRATED = "clinic is already migrated";
  public static final String INCOMPLETE_PROFILE = "incomplete clinic profile";
  static final String INITIAL_MIGRATION = "InitialMigration";
  private static final int UPDATE_ATTEMPTS = 3;

  private final MigrationRepository migrations;
  private final ClinicRepository clinicRepository;
  private final ClinicService clinics;
  private final ClinicianService clinicians;
  private final ClinicLifecycle lifecycle;
  private final UserDirectory users;
  private final ClinicLock locks;
  private final IntentLog intents;

  public MigrationService(MigrationRepository migrations, ClinicRepository clinicRepository, ClinicService clinics,
                          ClinicianService clinicians, ClinicLifecycle lifecycle, UserDirectory users, ClinicLock locks,
                          IntentLog intents) {
    this.migrations = migrations;
    this.clinicRepository = clinicRepository;
    this.clinics = clinics;
    this.clinicians = clinicians;
    this.lifecycle = lifecycle;
    this.users = users;
    this.locks = locks;
    this.intents = intents;
    intents.register(INITIAL_MIGRATION, this::convergeInitialMigration);
  }

  /** EnableNewClinicExperience: 404 for an unknown user, 422 unless a legacy clinic account; an empty clinic it administers. */
  public Future<Clinic> enableNewClinicExperience(String userId) {
    return legacyAccount(userId).compose(lifecycle::createForLegacyAccount);
  }

  /**
   * TriggerInitialMigration: the clinic is not migrated yet (422), its profile is complete (422)
   * and its single admin is a legacy clinic account (422); the account's migration (PENDING;
   * {@code attestationTime} now when attested) and the clinic's {@code isMigrated}, both or neither.
   */
  public Future<Migration> triggerInitialMigration(String clinicId, boolean attestationSubmitted) {
    return locks.run(clinicId, () -> clinics.get(clinicId).compose(clinic -> {
      if (clinic.migrated()) {
        return Future.failedFuture(ServiceError.unprocessable(ALREADY_MIGRATED));
      }
      if (!clinic.canMigrate()) {
        return Future.failedFuture(ServiceError.unprocessable(INCOMPLETE_PROFILE));
      }
      if (clinic.admins().size() != 1) {
        return Future.failedFuture(ServiceError.unprocessable(
            "a clinic is migrated from one legacy account: it must have exactly one admin, it has " + clinic.admins().size()));
      }
      return legacyAccount(clinic.admins().get(0)).compose(admin -> {
        Instant now = Instant.now();
        Migration migration = Migration.pending(MongoJson.newId(), clinicId, admin.id(), now, attestationSubmitted ? now : null);
        JsonObject params = new JsonObject().put("migration", MigrationDocuments.newDocument(migration));
        return intents.run(INITIAL_MIGRATION, clinicId, params, steps -> migrations.insert(migration)
            .compose(inserted -> steps.reached("migration-inserted").map(inserted))
            .compose(inserted -> clinicRepository.markMigrated(clinicId).map(inserted)));
      });
    }));
  }

  /** MigrateLegacyClinicianPatients: a clinician (404) of a migrated clinic (422, D7) who is a legacy clinic account (422). */
  public Future<Migration> migrateLegacyClinician(String clinicId, String userId) {
    return locks.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.get(clinicId, userId))
        .compose(member -> legacyAccount(userId))
        .compose(account -> migrations.insert(Migration.pending(MongoJson.newId(), clinicId, account.id(), Instant.now(), null))));
  }

  /** The clinic's migrations, oldest first; 404 when the clinic does not exist. */
  public Future<List<Migration>> list(String clinicId) {
    return clinics.get(clinicId).compose(clinic -> migrations.findByClinic(clinicId));
  }

  /** The clinic's migration of the legacy account, or a 404. */
  public Future<Migration> get(String clinicId, String userId) {
    return migrations.find(clinicId, userId).compose(found -> found != null ? Future.succeededFuture(found)
        : Future.failedFuture(ServiceError.notFound("no migration of user " + userId + " in clinic " + clinicId)));
  }

  /**
   * UpdateMigration: the status changes as {@link Migration.Status#mayBecome} allows (else 409),
   * with progress and failure reason (the worker sends one with FAILED). An update that
   * finds the migration in its state already changes nothing and answers it.
   */
  public Future<Migration> update(String clinicId, String userId, Migration.Update update) {
    return get(clinicId, userId).compose(current -> apply(current, update, UPDATE_ATTEMPTS));
  }

  private Future<Migration> apply(Migration current, Migration.Update update, int attemptsLeft) {
    if (update.isIn(current)) {
      return Future.succeededFuture(current);
    }
    if (!current.status().mayBecome(update.status())) {
      return Future.failedFuture(ServiceError.conflict(current.status().isFinal()
          ? "the migration is " + current.status() + ", which is final"
          : "the migration is " + current.status() + ", it cannot become " + update.status()));
    }
    return migrations.update(current, update).compose(updated -> {
      if (updated != null) {
        return Future.succeededFuture(updated);
      }
      // changed since it was read: decide again on what is stored now
      return attemptsLeft > 1 ? get(current.clinicId(), current.userId()).compose(now -> apply(now, update, attemptsLeft - 1))
          : Future.failedFuture(ServiceError.conflict("the migration changed concurrently; try again"));
    });
  }

  /** The user as a legacy clinic account: 404 unknown, 422 without the legacy {@code clinic} role. */
  private Future<User> legacyAccount(String userId) {
    return users.find(userId).compose(user -> {
      if (user == null) {
        return Future.failedFuture(ServiceError.notFound("user " + userId + " not found"));
      }
      if (!user.isLegacyClinic()) {
        return Future.failedFuture(ServiceError.unprocessable("user " + userId + " is not a legacy clinic account"));
      }
      return Future.succeededFuture(user);
    });
  }

  /** An initial migration cut short: once its migration is stored, the clinic is migrated too; without it, nothing was written. */
  private Future<Void> convergeInitialMigration(Intent intent) {
    Migration migration = MigrationDocuments.fromDocument(intent.params().getJsonObject("migration"));
    return migrations.findById(migration.id()).compose(stored -> stored == null ? Future.<Void>succeededFuture()
        : clinicRepository.markMigrated(intent.clinicId()));
  }
}
