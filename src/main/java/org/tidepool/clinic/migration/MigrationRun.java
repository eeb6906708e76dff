package org.tidepool.clinic.migration;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mail.MailRequests;
import org.tidepool.clinic.migrations.Migration;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.operations.StoreCalls;
import org.tidepool.clinic.platform.LegacyClinicians;
import org.tidepool.clinic.platform.ProfileStore;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * One run of one migration, upstream's steps (upstream-clinic-worker §2.4): the clinic, the
 * legacy shares, RUNNING with the total, the legacy role replaced and the sessions ended, then
 * every patient not yet finished (created, mailed once, share removed, recorded), then the
 * clinician's mail and COMPLETED. Each step repeats safely, so a run cut short at any point is
 * continued by the next: a patient already created answers 409 (or, with a legacy clinician,
 * its record), mails are deduplicated by migration and patient, a share already removed is no
 * failure. Runs only while {@code leaseHeld} says so.
 */
final class MigrationRun {
  private static final Logger log = LoggerFactory.getLogger(MigrationRun.class);
  static final String PATIENT_TEMPLATE = "migrate_patient";
  static final String CLINICIAN_TEMPLATE = "clinic_migration_complete";
  /** The legacy share's permissions the clinic record takes (upstream's four). */
  private static final Set<String> PERMISSIONS = Set.of("custodian", "note", "view", "upload");
  private static final long PROGRESS_PERIOD_MS = 1_000;

  /** Why a migration cannot finish: it ends FAILED with this as its reason. */
  static final class Unfinishable extends RuntimeException {
    Unfinishable(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** The lease is not held any more (a stop, or another process took it over): this run stops where it is, the next continues. */
  static final class LeaseLost extends RuntimeException {
    LeaseLost() {
      super("this process no longer holds the migration's lease (it stops, or another took it over)", null, false, false);
    }
  }

  record Ports(StoreCalls store, MailRequests mail, LegacyClinicians legacy, ProfileStore profiles, UserDirectory users) {}

  private final Vertx vertx;
  private final String migrationId;
  private final String clinicId;
  private final String clinicianId;
  private final Ports ports;
  private final MigratedPatients finished;
  private final RateLimiter limiter;
  private final MigrationConfig config;
  private final MigrationMeters meters;
  private final BooleanSupplier leaseHeld;
  private String clinicName;
  private String clinicianName;
  private int total;
  private int migrated;
  private int skipped;
  private boolean progressChanged;
  private long progressTimer = -1;
  private Future<Void> lastProgress = Future.succeededFuture();
  /** Set when one lane failed: the others take no further patient. */
  private boolean abandoned;

  MigrationRun(Vertx vertx, Migration migration, Ports ports, MigratedPatients finished, RateLimiter limiter,
               MigrationConfig config, MigrationMeters meters, BooleanSupplier leaseHeld) {
    this.vertx = vertx;
    this.migrationId = migration.id();
    this.clinicId = migration.clinicId();
    this.clinicianId = migration.userId();
    this.ports = ports;
    this.finished = finished;
    this.limiter = limiter;
    this.config = config;
    this.meters = meters;
    this.leaseHeld = leaseHeld;
  }

  /** Runs the migration to COMPLETED, or FAILED when it cannot finish; fails when it should be tried again later. */
  Future<Migration.Status> run() {
    return clinic()
        .compose(name -> {
          clinicName = name;
          return Future.all(ports.legacy().sharedPatients(clinicianId), ports.profiles().profile(clinicianId),
              finished.finished(migrationId));
        })
        .compose(context -> {
          Map<String, Set<String>> shares = new HashMap<>(context.<Map<String, Set<String>>>resultAt(0));
          JsonObject profile = context.resultAt(1);
          Map<String, String> done = context.resultAt(2);
          clinicianName = profile == null ? "" : profile.getString("fullName", "");
          shares.remove(clinicianId);
          // started before and cut short: done again, though the share may be gone already
          TreeSet<String> remaining = new TreeSet<>(shares.keySet());
          done.forEach((patientId, outcome) -> {
            if (MigratedPatients.STARTED.equals(outcome)) {
              remaining.add(patientId);
            }
          });
          done.values().removeIf(MigratedPatients.STARTED::equals);
          Deque<String> todo = new ArrayDeque<>(remaining);
          todo.removeIf(done::containsKey);
          migrated = (int) done.values().stream().filter(MigratedPatients.MIGRATED::equals).count();
          skipped = done.size() - migrated;
          total = done.size() + todo.size();
          log.info("migration {} of legacy clinician {} into clinic {}: {} patients, {} of them finished before",
              migrationId, clinicianId, clinicId, total, done.size());
          return update(Migration.Status.RUNNING, null)
              .compose(running -> clinicianAccount(ports.legacy().replaceLegacyRole(clinicianId)))
              .compose(replaced -> clinicianAccount(ports.legacy().endSessions(clinicianId)))
              .compose(ended -> patients(todo, shares));
        })
        .compose(patientsDone -> clinicianMail())
        .compose(mailed -> update(Migration.Status.COMPLETED, null))
        .map(Migration.Status.COMPLETED)
        .recover(failure -> {
          if (failure instanceof Unfinishable unfinishable) {
            log.error("migration {} of legacy clinician {} cannot finish: {}", migrationId, clinicianId, unfinishable.getMessage(),
                unfinishable.getCause());
            return update(Migration.Status.FAILED, unfinishable.getMessage()).map(Migration.Status.FAILED);
          }
          return Future.failedFuture(failure);
        })
        .andThen(ended -> vertx.cancelTimer(progressTimer));
  }

  /** The clinician's account gone (404) cannot come back: no retry makes that step succeed. */
  private Future<Void> clinicianAccount(Future<Void> step) {
    return step.recover(failure -> Future.failedFuture(ServiceError.codeOf(failure) == ServiceError.NOT_FOUND
        ? new Unfinishable("legacy clinician " + clinicianId + " not found", failure) : failure));
  }

  private Future<String> clinic() {
    return ports.store().<JsonObject>call("GetClinic", new JsonObject().put("clinicId", clinicId), null)
        .map(clinic -> clinic.getString("name", ""))
        .recover(failure -> Future.failedFuture(StoreCalls.isNotFound(failure)
            ? new Unfinishable("clinic " + clinicId + " not found", failure) : failure));
  }

  /**
   * Up to {@link MigrationConfig#inFlight} lanes take batches of patients off the queue: a batch's
   * first patient waits for its start slot, the others join it only while the limiter has a slot
   * free at once, up to {@link MigrationConfig#batchSize} (so under a limit the batches are small
   * and the rate holds; without one they are full).
   */
  private Future<Void> patients(Deque<String> todo, Map<String, Set<String>> shares) {
    progressTimer = vertx.setPeriodic(PROGRESS_PERIOD_MS, id -> writeProgress());
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(config.inFlight(), Math.max(1, todo.size())); i++) {
      lanes.add(lane(todo, shares));
    }
    return Future.all(lanes).compose(all -> {
      vertx.cancelTimer(progressTimer);
      return lastProgress.otherwiseEmpty();
    }).mapEmpty();
  }

  private Future<Void> lane(Deque<String> todo, Map<String, Set<String>> shares) {
    if (todo.isEmpty() || abandoned) {
      return Future.succeededFuture();
    }
    if (!leaseHeld.getAsBoolean()) {
      return Future.failedFuture(new LeaseLost());
    }
    List<String> batch = new ArrayList<>();
    batch.add(todo.poll());
    return limiter.acquire()
        .compose(slot -> {
          while (batch.size() < config.batchSize() && !todo.isEmpty() && limiter.tryAcquire()) {
            batch.add(todo.poll());
          }
          return batch(batch, shares, 1);
        })
        .compose(done -> lane(todo, shares))
        .onFailure(failure -> abandoned = true);
  }

  /**
   * A batch of patients, attempted until each has finished: those that finished are recorded, the
   * others are attempted again (up to {@link MigrationConfig#patientAttempts} times, then the
   * migration cannot finish).
   */
  private Future<Void> batch(List<String> patientIds, Map<String, Set<String>> shares, int attempt) {
    Future<Void> marked = attempt == 1 ? finished.recordStarted(migrationId, patientIds) : Future.succeededFuture();
    return marked.compose(v -> attempt(patientIds, shares).timeout(config.batchTimeoutMs(patientIds.size()), TimeUnit.MILLISECONDS)
        .otherwise(failure -> {
          if (failure instanceof Unfinishable unfinishable) {
            throw unfinishable;
          }
          Map<String, Object> all = new LinkedHashMap<>();
          patientIds.forEach(id -> all.put(id, failure));
          return all;
        }))
        .compose(results -> {
          Map<String, String> done = new LinkedHashMap<>();
          List<String> failed = new ArrayList<>();
          results.forEach((patientId, result) -> {
            if (result instanceof String outcome) {
              done.put(patientId, outcome);
            } else {
              failed.add(patientId);
            }
          });
          return finished.recordAll(migrationId, done).compose(recorded -> {
            done.values().forEach(this::counted);
            if (failed.isEmpty()) {
              return Future.succeededFuture();
            }
            Throwable failure = (Throwable) results.get(failed.get(0));
            if (attempt >= config.patientAttempts() || !leaseHeld.getAsBoolean()) {
              return Future.failedFuture(leaseHeld.getAsBoolean()
                  ? new Unfinishable("patient " + failed.get(0) + " failed " + attempt + " times: " + failure.getMessage(), failure)
                  : new LeaseLost());
            }
            log.warn("migration {}: {} patient(s) failed, {} first (attempt {} of {}), trying again: {}", migrationId, failed.size(),
                failed.get(0), attempt, config.patientAttempts(), failure.toString());
            Promise<Void> pause = Promise.promise();
            vertx.setTimer(200L * attempt, id -> pause.complete());
            return pause.future().compose(paused -> batch(failed, shares, attempt + 1));
          });
        });
  }

  private void counted(String outcome) {
    if (MigratedPatients.MIGRATED.equals(outcome)) {
      migrated++;
      meters.migrated();
    } else {
      skipped++;
      meters.skipped();
    }
    progressChanged = true;
  }

  /**
   * One attempt at a batch: the clinic records of all its patients in one store request
   * (CreatePatientsFromUsers: one hold of the clinic's lock), then each patient's mail (once per
   * migration and patient) and legacy share removal, the patients of the batch at once. Patient
   * id → its outcome, or the failure of its attempt.
   */
  private Future<Map<String, Object>> attempt(List<String> patientIds, Map<String, Set<String>> shares) {
    JsonArray members = new JsonArray();
    for (String patientId : patientIds) {
      JsonObject granted = new JsonObject();
      Set<String> permissions = shares.get(patientId);
      (permissions == null ? Set.<String>of() : permissions).stream().filter(PERMISSIONS::contains)
          .forEach(permission -> granted.put(permission, new JsonObject()));
      members.add(new JsonObject().put("userId", patientId).put("isMigrated", true).put("legacyClinicianId", clinicianId)
          .put("permissions", granted));
    }
    JsonObject request = new JsonObject().put("clinicId", clinicId).put("patients", members);
    return ports.store().<JsonObject>internal(Catalogue.CREATE_PATIENTS_FROM_USERS, request)
        .recover(failure -> Future.failedFuture(StoreCalls.isNotFound(failure)
            ? new Unfinishable("clinic " + clinicId + " not found", failure) : failure))
        .compose(reply -> {
          JsonArray results = reply.getJsonArray("results");
          List<Future<String>> outcomes = new ArrayList<>();
          for (int i = 0; i < patientIds.size(); i++) {
            outcomes.add(afterCreation(patientIds.get(i), results.getJsonObject(i)));
          }
          return Future.join(outcomes).otherwiseEmpty().map(joined -> {
            Map<String, Object> byPatient = new LinkedHashMap<>();
            for (int i = 0; i < patientIds.size(); i++) {
              Future<String> outcome = outcomes.get(i);
              byPatient.put(patientIds.get(i), outcome.succeeded() ? outcome.result() : outcome.cause());
            }
            return byPatient;
          });
        });
  }

  /** A patient after the store's answer: created (or there already), gone (404: skipped, share kept as upstream), or failed. */
  private Future<String> afterCreation(String patientId, JsonObject result) {
    Future<JsonObject> created;
    if (result.getJsonObject("patient") != null) {
      created = Future.succeededFuture(result.getJsonObject("patient"));
    } else if (result.getInteger("code") == ServiceError.CONFLICT) {
      created = ports.store().call("GetPatient", new JsonObject().put("clinicId", clinicId).put("patientId", patientId), null);
    } else if (result.getInteger("code") == ServiceError.NOT_FOUND) {
      log.info("migration {}: patient {} skipped, the user is gone", migrationId, patientId);
      return Future.succeededFuture(MigratedPatients.SKIPPED);
    } else {
      return Future.failedFuture(new ServiceError(result.getInteger("code"), result.getString("message")));
    }
    return created.compose(patient -> {
      String email = patient.getString("email");
      Future<Void> mailed = email == null || email.isBlank() ? Future.succeededFuture()
          : ports.mail().sendOnce(PATIENT_TEMPLATE, email,
              new JsonObject().put("LegacyClinicianName", clinicianName).put("ClinicName", clinicName),
              "migration:" + migrationId + ":" + patientId + ":" + PATIENT_TEMPLATE);
      return mailed.compose(sent -> ports.legacy().removeShare(patientId, clinicianId)).map(MigratedPatients.MIGRATED);
    });
  }

  private Future<Void> clinicianMail() {
    return ports.users().find(clinicianId).compose(user -> {
      if (user == null || user.email() == null || user.email().isBlank()) {
        log.info("migration {}: legacy clinician {} has no known email, no {} mail", migrationId, clinicianId, CLINICIAN_TEMPLATE);
        return Future.succeededFuture();
      }
      return ports.mail().sendOnce(CLINICIAN_TEMPLATE, user.email(), new JsonObject().put("ClinicName", clinicName),
          "migration:" + migrationId + ":" + CLINICIAN_TEMPLATE);
    });
  }

  /** Progress while patients run: at most once a second, one write at a time, failures only logged. */
  private void writeProgress() {
    if (!progressChanged || !lastProgress.isComplete() || !leaseHeld.getAsBoolean()) {
      return;
    }
    progressChanged = false;
    lastProgress = update(Migration.Status.RUNNING, null)
        .onFailure(failure -> log.warn("migration {}: progress not written: {}", migrationId, failure.toString()));
  }

  private Future<Void> update(Migration.Status status, String failureReason) {
    if (!leaseHeld.getAsBoolean()) {
      return Future.failedFuture(new LeaseLost());
    }
    JsonObject body = new JsonObject().put("status", status.name()).put("progress", new JsonObject()
        .put("patientsTotal", total).put("patientsMigrated", migrated).put("patientsSkipped", skipped));
    if (failureReason != null) {
      body.put("failureReason", failureReason);
    }
    return ports.store().call("UpdateMigration", new JsonObject().put("clinicId", clinicId).put("userId", clinicianId), body)
        .mapEmpty();
  }
}
