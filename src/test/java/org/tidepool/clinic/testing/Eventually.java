package org.tidepool.clinic.testing;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Waits for an asynchronous outcome (bounded, so a broken build fails instead of hanging). */
public final class Eventually {
  private static final Duration LIMIT = Duration.ofSeconds(45);

  private Eventually() {}

  public static <T> T await(Vertx vertx, String what, Supplier<T> probe) {
    Instant deadline = Instant.now().plus(LIMIT);
    while (true) {
      T value = probe.get();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("never happened: " + what);
      }
      vertx.timer(25).await();
    }
  }
}
