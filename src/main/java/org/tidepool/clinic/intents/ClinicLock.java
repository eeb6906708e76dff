package org.tidepool.clinic.intents;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.ServiceError;

/**
 * Runs the changes of one clinic that read several documents, decide, then write several, one at
 * a time: no transaction holds those steps together. Without it, a member deleted between its
 * insert and its addition to {@code admins} stays an admin of the clinic. The embedded MongoDB
 * also lacks partial unique indexes, so a check-then-insert relies on it there.
 *
 * <p>Within the process it is a Vert.x local lock. With a clustered event bus the holder of the
 * local lock also takes the clinic's Hazelcast map lock, so that the processes of the cluster take
 * turns too. Vert.x's own cluster-wide lock is not used: it is that map lock, taken on a pooled
 * worker thread, and Hazelcast's map locks belong to the thread that took them and are
 * reentrant, so a second change of the same process whose acquisition ran on that thread got the
 * lock at once while the first still held it ({@code ClusteredClinicLockTest}). Here one change
 * per process at most asks for the map lock, and the next one only once the release is done. The
 * map and key are Vert.x's ({@value #CLUSTER_LOCKS}, the lock's name), so processes of either kind
 * exclude each other. A map lock held by a member that left the cluster is released by Hazelcast.
 *
 * <p>Other scopes than a clinic take it the same way: a user's records ({@code user:}), the account
 * writes of an email ({@code email:}), the sends of a mail's dedup key ({@code mail:}).
 */
public final class ClinicLock {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final String BUSY = "the clinic is busy with other changes; try again later";
  /** Vert.x's map of cluster-wide locks (its {@code HazelcastObjectProviderImpl}). */
  static final String CLUSTER_LOCKS = "__vertx.map.lock";
  private static final String RELEASES = "clinic-lock-releases";

  private static final Logger LOG = LoggerFactory.getLogger(ClinicLock.class);

  private final Vertx vertx;
  private final Duration timeout;
  /** The cluster's locks, or null when the event bus is not clustered by Hazelcast. */
  private final IMap<String, Object> clusterLocks;
  /**
   * Threads of their own for the releases, as Vert.x has: a release must not queue behind
   * acquisitions blocked on the worker pool, which may be waiting for it in another process.
   */
  private final WorkerExecutor releases;

  public ClinicLock(Vertx vertx) {
    this(vertx, DEFAULT_TIMEOUT);
  }

  ClinicLock(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.clusterLocks = vertx instanceof VertxInternal internal && internal.clusterManager() instanceof HazelcastClusterManager hazelcast
        ? hazelcast.getHazelcastInstance().getMap(CLUSTER_LOCKS) : null;
    this.releases = clusterLocks == null ? null : vertx.createSharedWorkerExecutor(RELEASES, 2);
  }

  /** Runs {@code change} holding the clinic's lock; 503 when the lock is not free within the timeout. */
  public <T> Future<T> run(String clinicId, Supplier<Future<T>> change) {
    String name = lockName(clinicId);
    long deadline = System.nanoTime() + timeout.toNanos();
    return vertx.sharedData().getLocalLockWithTimeout(name, timeout.toMillis())
        .recover(timedOut -> Future.failedFuture(busy()))
        .compose(local -> acrossCluster(name, deadline).transform(taken -> {
          if (taken.failed()) {
            local.release();
            return Future.failedFuture(taken.cause());
          }
          return attempt(change).transform(done -> releaseAcrossCluster(name).transform(released -> {
            local.release();
            return done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause());
          }));
        }));
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> change) {
    try {
      return change.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Takes the cluster's lock of {@code name} by the deadline (nothing to take without a cluster). */
  private Future<Void> acrossCluster(String name, long deadline) {
    if (clusterLocks == null) {
      return Future.succeededFuture();
    }
    long waitMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    return vertx.executeBlocking(() -> clusterLocks.tryLock(name, waitMillis, TimeUnit.MILLISECONDS), false)
        .recover(failure -> Future.failedFuture(busy()))
        .compose(locked -> locked ? Future.succeededFuture() : Future.failedFuture(busy()));
  }

  /**
   * Releases the cluster's lock of {@code name}, done before the local lock goes (so the next
   * change of this process cannot re-enter it); never fails: a lock that could not be released
   * is Hazelcast's to release when this member leaves.
   */
  private Future<Void> releaseAcrossCluster(String name) {
    if (clusterLocks == null) {
      return Future.succeededFuture();
    }
    return releases.<Void>executeBlocking(() -> {
      clusterLocks.forceUnlock(name);
      return null;
    }, false).recover(failure -> {
      LOG.error("clinic lock {} not released across the cluster: {}", name, failure.toString());
      return Future.succeededFuture();
    });
  }

  private static ServiceError busy() {
    return new ServiceError(ServiceError.UNAVAILABLE, BUSY);
  }

  static String lockName(String clinicId) {
    return "clinic:" + clinicId;
  }
}
