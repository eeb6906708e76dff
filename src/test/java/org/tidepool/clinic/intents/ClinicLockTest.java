package org.tidepool.clinic.intents;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tidepool.clinic.common.ServiceError;

/** The per-clinic lock of membership changes: one change at a time, and a busy clinic is a 503, not a 500. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClinicLockTest {
  private static final String CLINIC = "0123456789abcdef01234567";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aChangeThatCannotGetTheLockInTimeIsUnavailable() {
    Lock held = vertx.sharedData().getLock(ClinicLock.lockName(CLINIC)).await();
    ClinicLock lock = new ClinicLock(vertx, Duration.ofMillis(100));

    Future<String> change = lock.run(CLINIC, () -> Future.succeededFuture("ran"));

    Throwable failure = change.transform(done -> Future.succeededFuture(done.cause())).await();
    assertThat(ServiceError.codeOf(failure)).isEqualTo(503);
    assertThat(failure.getMessage()).isEqualTo(ClinicLock.BUSY);
    held.release();
    assertThat(lock.run(CLINIC, () -> Future.succeededFuture("ran")).await()).isEqualTo("ran");
  }

  @Test
  void aFailingChangeReleasesTheLockAndKeepsItsOwnFailure() {
    ClinicLock lock = new ClinicLock(vertx, Duration.ofMillis(500));

    Throwable failure = lock.<String>run(CLINIC, () -> Future.failedFuture(ServiceError.conflict("taken")))
        .transform(done -> Future.succeededFuture(done.cause())).await();

    assertThat(ServiceError.codeOf(failure)).isEqualTo(409);
    assertThat(lock.run(CLINIC, () -> Future.succeededFuture("next")).await()).isEqualTo("next");
  }
}
