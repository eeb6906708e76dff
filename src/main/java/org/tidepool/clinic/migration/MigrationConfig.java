package org.tidepool.clinic.migration;

import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;

/**
 * Settings of the migration verticle.
 *
 * @param patientsPerSecond patients started per second over all migrations of this process (upstream's
 *                          {@code PATIENT_MIGRATIONS_PER_SECOND_LIMIT}, default 15); 0 = no limit
 * @param concurrency       lanes of one migration in flight at once, each with a batch of patients (upstream: 4
 *                          patients); 0 = no limit
 * @param batchSize         most patients one lane hands the store at once, created under one hold of the
 *                          clinic's lock; a batch takes only the limiter's slots free at once
 * @param patientTimeoutMs  how long one attempt at a patient may take (upstream: 10 s)
 * @param patientAttempts   attempts at one patient before the migration ends FAILED
 * @param leaseTtlMs        how long a migration's lease outlives its last renewal: after a crash,
 *                          another process continues the migration this long after
 * @param sweepIntervalMs   how often the verticle looks for PENDING or RUNNING migrations nobody runs
 * @param giveUpAfterMs     how long after its creation a migration whose runs keep failing for a reason
 *                          that may pass (a service down) is still tried again; a run failing after that
 *                          ends it FAILED with the reason, instead of being retried for days
 */
public record MigrationConfig(int patientsPerSecond, int concurrency, int batchSize, long patientTimeoutMs, int patientAttempts,
                              long leaseTtlMs, long sweepIntervalMs, long giveUpAfterMs) {
  static final String RATE_KEY = "PATIENT_MIGRATIONS_PER_SECOND_LIMIT";
  static final String CONCURRENCY_KEY = "PATIENT_MIGRATION_CONCURRENCY";
  static final String BATCH_KEY = "PATIENT_MIGRATION_BATCH_SIZE";
  static final String LEASE_TTL_KEY = "MIGRATION_LEASE_TTL_MS";
  static final String SWEEP_KEY = "MIGRATION_SWEEP_INTERVAL_MS";
  static final String GIVE_UP_KEY = "MIGRATION_GIVE_UP_AFTER_MS";
  static final long PATIENT_TIMEOUT_MS = 10_000;
  static final int PATIENT_ATTEMPTS = 3;
  /** Without a limit, patients in flight are still bounded: by the store's event-bus queue, not by a setting. */
  static final int UNLIMITED_CONCURRENCY = 64;
  /** The store's bound on one batch. */
  static final int MAX_BATCH = 500;

  public static MigrationConfig from(Settings settings) {
    return new MigrationConfig(atLeast(settings, RATE_KEY, 0), atLeast(settings, CONCURRENCY_KEY, 0),
        Math.min(atLeast(settings, BATCH_KEY, 1), MAX_BATCH), PATIENT_TIMEOUT_MS,
        PATIENT_ATTEMPTS, atLeast(settings, LEASE_TTL_KEY, 1_000), atLeast(settings, SWEEP_KEY, 100),
        atLeast(settings, GIVE_UP_KEY, 0));
  }

  /** Patients of one migration in flight at most. */
  int inFlight() {
    return concurrency == 0 ? UNLIMITED_CONCURRENCY : concurrency;
  }

  /** How long one attempt at a batch of {@code patients} may take: the patient's time for each ten of them. */
  long batchTimeoutMs(int patients) {
    return patientTimeoutMs * Math.max(1, (patients + 9) / 10);
  }

  /** How often a held lease is renewed: several times within its lifetime. */
  long leaseRenewalMs() {
    return Math.max(100, leaseTtlMs / 5);
  }

  private static int atLeast(Settings settings, String key, int minimum) {
    int value = settings.integer(key);
    if (value < minimum) {
      throw new ConfigException(key + " must be at least " + minimum + ", got " + value);
    }
    return value;
  }
}
