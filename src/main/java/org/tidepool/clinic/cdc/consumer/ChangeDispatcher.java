package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import java.util.Map;

/** The topic handlers by topic name; a record of a topic without one is done at once. */
public final class ChangeDispatcher {
  private final Map<String, TopicHandler> handlersByTopic;

  public ChangeDispatcher(Map<String, TopicHandler> handlersByTopic) {
    this.handlersByTopic = Map.copyOf(handlersByTopic);
  }

  public Future<Void> dispatch(ReceivedRecord record) {
    TopicHandler handler = handlersByTopic.get(record.topic());
    return handler == null ? Future.succeededFuture() : handler.handle(record);
  }

  public String orderKey(ReceivedRecord record) {
    TopicHandler handler = handlersByTopic.get(record.topic());
    return handler == null ? record.topic() + "|" + record.partition() : handler.orderKey(record);
  }
}
