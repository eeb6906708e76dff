package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;

/** What the consumer does with the records of one topic. */
public interface TopicHandler {
  Future<Void> handle(ReceivedRecord record);

  /**
   * Records of one order key are handled one after the other, in offset order; records of
   * different keys (and partitions) concurrently.
   */
  String orderKey(ReceivedRecord record);
}
