package org.tidepool.clinic.intents;

import io.vertx.core.Future;

/**
 * Brings an operation that may have stopped half-way to a state where it is either complete or
 * not visible at all. It runs after a crash (at start-up, or when the intent is stale) and after
 * the operation failed, so it must do the right thing whatever steps had been done.
 */
@FunctionalInterface
public interface IntentResumer {
  Future<Void> resume(Intent intent);
}
