package org.tidepool.clinic.api;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits of the api tests, each bounded. */
final class Await {
  static final long TIMEOUT_SECONDS = 30;

  private Await() {}

  static <T> T result(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
