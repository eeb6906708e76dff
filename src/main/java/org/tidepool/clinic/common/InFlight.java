package org.tidepool.clinic.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the work a verticle has started and not finished, so that its stop can wait for it. */
public final class InFlight {
  private static final long POLL_MS = 20;

  private final AtomicInteger running = new AtomicInteger();

  public <T> Future<T> track(Future<T> work) {
    running.incrementAndGet();
    return work.andThen(done -> running.decrementAndGet());
  }

  public int running() {
    return running.get();
  }

  /** Completes once nothing runs, or after {@code timeoutMs} (then with what still runs left to fail). */
  public Future<Void> drained(Vertx vertx, long timeoutMs) {
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    poll(vertx, deadline, drained);
    return drained.future();
  }

  private void poll(Vertx vertx, long deadline, Promise<Void> drained) {
    if (running.get() == 0 || System.nanoTime() >= deadline) {
      drained.tryComplete();
      return;
    }
    vertx.setTimer(POLL_MS, id -> poll(vertx, deadline, drained));
  }
}
