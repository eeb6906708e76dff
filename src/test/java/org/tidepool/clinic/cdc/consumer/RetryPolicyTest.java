package org.tidepool.clinic.cdc.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(3, 1, 4, 200);

  @Test
  void runsAFailingActionTheConfiguredNumberOfTimesThenFailsWithTheLastFailure(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    Future<String> outcome = policy.run(vertx, () -> Future.failedFuture(new IllegalStateException("run " + runs.incrementAndGet())));

    IllegalStateException failure = assertThrows(IllegalStateException.class, outcome::await);
    assertEquals("run 3", failure.getMessage());
    assertEquals(3, runs.get());
  }

  @Test
  void stopsRetryingOnceTheActionSucceeds(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    String result = policy.run(vertx, () -> runs.incrementAndGet() < 2 ? Future.failedFuture("not yet") : Future.succeededFuture("done")).await();

    assertEquals("done", result);
    assertEquals(2, runs.get());
  }

  @Test
  void aPermanentFailureIsNotRetried(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    Future<Void> outcome = policy.run(vertx, () -> {
      runs.incrementAndGet();
      throw new PermanentFailure("undecodable", null);
    });

    assertThrows(PermanentFailure.class, outcome::await);
    assertEquals(1, runs.get());
  }

  @Test
  void anAttemptThatNeverEndsIsGivenUpAfterTheTimeoutAndRetried(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    Future<Void> outcome = policy.run(vertx, () -> {
      runs.incrementAndGet();
      return Promise.<Void>promise().future(); // a dependency that never answers
    });

    assertThrows(TimeoutException.class, () -> outcome.await(20, TimeUnit.SECONDS));
    assertTrue(outcome.isComplete(), "the policy gave up by itself");
    assertEquals(3, runs.get());
  }
}
