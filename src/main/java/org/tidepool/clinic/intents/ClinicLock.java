package org.tidepool.clinic.intents;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.tidepool.clinic.common.ServiceError;

/**
 * Runs the changes of one clinic that read several documents, decide, then write several, one at
 * a time: no transaction holds those steps together. Without it, a member deleted between its
 * insert and its addition to {@code admins} stays an admin of the clinic. The embedded MongoDB
 * also lacks partial unique indexes, so a check-then-insert relies on it there. It is a Vert.x
 * shared-data lock: with a clustered event bus it holds across every process of the cluster; a
 * lock whose holder died comes back when the holder's Hazelcast CP session expires (10 s, set in
 * {@code app.Clustering}).
 */
public final class ClinicLock {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final String BUSY = "the clinic is busy with other changes; try again later";

  private final Vertx vertx;
  private final Duration timeout;

  public ClinicLock(Vertx vertx) {
    this(vertx, DEFAULT_TIMEOUT);
  }

  ClinicLock(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  /** Runs {@code change} holding the clinic's lock; 503 when the lock is not free within the timeout. */
  public <T> Future<T> run(String clinicId, Supplier<Future<T>> change) {
    return vertx.sharedData().getLockWithTimeout(lockName(clinicId), timeout.toMillis())
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
    return "clinic:" + clinicId;
  }
}
