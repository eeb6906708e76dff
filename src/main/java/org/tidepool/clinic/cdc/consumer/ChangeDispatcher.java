package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import java.util.List;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import java.util.Map;

/** Decodes a record's value and runs the handlers of its topic, one after the other. */
public final class ChangeDispatcher {
  private final Map<String, List<ChangeHandler>> handlersByTopic;

  public ChangeDispatcher(Map<String, List<ChangeHandler>> handlersByTopic) {
    this.handlersByTopic = handlersByTopic;
  }

  public Future<Void> dispatch(String topic, String value) {
    ChangeEvent event = ChangeEventDecoder.decode(value);
    Future<Void> chain = Future.succeededFuture();
    for (ChangeHandler handler : handlersByTopic.getOrDefault(topic, List.of())) {
      chain = chain.compose(done -> handler.handle(event));
    }
    return chain;
  }
}
