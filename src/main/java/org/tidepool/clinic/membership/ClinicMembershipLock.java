package org.tidepool.clinic.membership;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.tidepool.clinic.common.ServiceError;

/**
 * Runs the membership changes of one clinic one at a time in this process: each reads the
 * clinician records and the clinic's {@code admins}, decides, then writes both, and no
 * transaction holds those steps together. Without it, a member deleted between its insert and
 * its addition to {@code admins} stays an admin of the clinic. The embedded MongoDB also lacks
 * the partial unique indexes, so the check-then-insert of a member relies on it there.
 */
public final class ClinicMembershipLock {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final String BUSY = "the clinic is busy with other membership changes; try again later";

  private final Vertx vertx;
  private final Duration timeout;

  public ClinicMembershipLock(Vertx vertx) {
    this(vertx, DEFAULT_TIMEOUT);
  }

  ClinicMembershipLock(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  /** Runs {@code change} holding the clinic's lock; 503 when the lock is not free within the timeout. */
  public <T> Future<T> run(String clinicId, Supplier<Future<T>> change) {
    return vertx.sharedData().getLocalLockWithTimeout(lockName(clinicId), timeout.toMillis())
        .recover(timedOut -> Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, BUSY)))
        .compose(lock -> {
          Future<T> done;
          try {
            done = change.get();
          } catch (RuntimeException e) {
            done = Future.failedFuture(e);
          }
          return done.onComplete(finished -> lock.release());
        });
  }

  static String lockName(String clinicId) {
    return "clinic-membership:" + clinicId;
  }
}
