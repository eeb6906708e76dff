package org.tidepool.clinic.migration;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Hands out start slots evenly spaced at {@code 1/perSecond}; a caller waits on a timer for its
 * slot. Slots missed while nobody asked are not saved up, so there is no burst after a pause.
 * Used on one event loop (the verticle's context).
 */
final class RateLimiter {
  private final Vertx vertx;
  private final long intervalNanos;
  private long nextSlotNanos = System.nanoTime();

  /** @param perSecond 0 = no limit */
  RateLimiter(Vertx vertx, int perSecond) {
    this.vertx = vertx;
    this.intervalNanos = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
  }

  /** Takes a slot if one is free now (no wait); false otherwise, and then nothing is taken. */
  boolean tryAcquire() {
    if (intervalNanos == 0) {
      return true;
    }
    long now = System.nanoTime();
    if (nextSlotNanos - now >= 1_000_000) {
      return false;
    }
    nextSlotNanos = Math.max(now, nextSlotNanos) + intervalNanos;
    return true;
  }

  Future<Void> acquire() {
    if (intervalNanos == 0) {
      return Future.succeededFuture();
    }
    long now = System.nanoTime();
    long slot = Math.max(now, nextSlotNanos);
    nextSlotNanos = slot + intervalNanos;
    long waitMs = (slot - now) / 1_000_000;
    if (waitMs < 1) {
      return Future.succeededFuture();
    }
    Promise<Void> granted = Promise.promise();
    vertx.setTimer(waitMs, id -> granted.complete());
    return granted.future();
  }
}
