package org.tidepool.clinic.cdc.consumer.events;

import io.vertx.core.Future;

/** Reacts to one change event. Must be idempotent: a record can be delivered more than once. */
public interface ChangeHandler {
  Future<Void> handle(ChangeEvent event);
}
