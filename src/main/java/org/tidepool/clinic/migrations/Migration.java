package org.tidepool.clinic.migrations;

import java.time.Instant;
import java.util.Locale;
import org.tidepool.clinic.common.ServiceError;

/**
 * The migration of a legacy clinic account's patients into a clinic: one per legacy account
 * ({@code userId}) across all clinics. {@code attestationTime}, {@code progress} and
 * {@code failureReason} are null until set; {@code revision} is the document's
 * {@link org.tidepool.clinic.mongo.Revision}.
 */
public record Migration(String id, String clinicId, String userId, Status status, Instant createdTime, Instant updatedTime,
                        Instant attestationTime, Progress progress, String failureReason, long revision) {

  /** A new PENDING migration. */
  public static Migration pending(String id, String clinicId, String userId, Instant now, Instant attestationTime) {
    return new Migration(id, clinicId, userId, Status.PENDING, now, now, attestationTime, null, null, 0);
  }

  /** The statuses, with the changes the migration worker may make (migrationUpdate.v1). */
  public enum Status {
    PENDING, RUNNING, COMPLETED, FAILED;

    /** As stored or sent: upstream stores upper case, and upper-cases on output. */
    public static Status parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw ServiceError.badRequest("status must be one of PENDING, RUNNING, COMPLETED, FAILED, got '" + text + "'");
      }
    }

    public boolean isFinal() {
      return this == COMPLETED || this == FAILED;
    }

    /** PENDING→RUNNING, RUNNING→RUNNING (progress), RUNNING→COMPLETED, PENDING|RUNNING→FAILED. */
    public boolean mayBecome(Status next) {
      return switch (this) {
        case PENDING -> next == RUNNING || next == FAILED;
        case RUNNING -> next == RUNNING || next == COMPLETED || next == FAILED;
        case COMPLETED, FAILED -> false;
      };
    }
  }

  /** The legacy account's patients, and how many were migrated or skipped (the account is gone). */
  public record Progress(long patientsTotal, long patientsMigrated, long patientsSkipped) {}

  /** What the migration worker reports (UpdateMigration): a status, and optionally progress and a failure reason. */
  public record Update(Status status, Progress progress, String failureReason) {
    /** Whether the migration is in exactly this state already (a repeated call). */
    boolean isIn(Migration migration) {
      return migration.status() == status
          && (progress == null || progress.equals(migration.progress()))
          && (failureReason == null || failureReason.equals(migration.failureReason()));
    }
  }
}
