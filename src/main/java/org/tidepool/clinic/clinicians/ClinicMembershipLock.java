package org.tidepool.clinic.clinicians;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs the membership changes of one clinic one at a time in this process: each reads the
 * clinician records and the clinic's {@code admins}, decides, then writes both, and no
 * transaction holds those steps together. Without it, a member deleted between its insert and
 * its addition to {@code admins} stays an admin of the clinic. The embedded MongoDB also lacks
 * the partial unique indexes, so the check-then-insert of a member relies on it there.
 */
public final class ClinicMembershipLock {
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  public ClinicMembershipLock(Vertx vertx) {
    this.vertx = vertx;
  }

  public <T> Future<T> run(String clinicId, Supplier<Future<T>> change) {
    return vertx.sharedData().getLocalLockWithTimeout("clinic-membership:" + clinicId, TIMEOUT_MS)
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
}
