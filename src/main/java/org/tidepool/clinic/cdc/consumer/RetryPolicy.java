package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounded exponential backoff: up to {@code attempts} runs in total, waiting
 * {@code initialDelayMs}, then twice as long each time, never more than {@code maxDelayMs}.
 * A run that has not finished after {@code attemptTimeoutMs} counts as failed (as upstream's
 * per-message timeout): a dependency that never answers must not hold the partition forever.
 */
public record RetryPolicy(int attempts, long initialDelayMs, long maxDelayMs, long attemptTimeoutMs) {

  /** The wait before the given retry (1 = the first retry). */
  public long delayBefore(int retry) {
    long delay = initialDelayMs;
    for (int i = 1; i < retry && delay < maxDelayMs; i++) {
      delay *= 2;
    }
    return Math.min(delay, maxDelayMs);
  }

  /** Runs the action until it succeeds or the attempts are used up; fails with the last failure. */
  public <T> Future<T> run(Vertx vertx, Supplier<Future<T>> action) {
    return run(vertx, action, () -> {});
  }

  /** As above; {@code onRetry} runs before each retry (for the retry counter). */
  public <T> Future<T> run(Vertx vertx, Supplier<Future<T>> action, Runnable onRetry) {
    return attempt(vertx, action, 1, onRetry);
  }

  private <T> Future<T> attempt(Vertx vertx, Supplier<Future<T>> action, int attempt, Runnable onRetry) {
    return safely(action).recover(failure -> {
      if (attempt >= attempts || failure instanceof PermanentFailure) {
        return Future.failedFuture(failure);
      }
      return vertx.timer(delayBefore(attempt)).compose(ignored -> {
        onRetry.run();
        return attempt(vertx, action, attempt + 1, onRetry);
      });
    });
  }

  private <T> Future<T> safely(Supplier<Future<T>> action) {
    try {
      return action.get().timeout(attemptTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
