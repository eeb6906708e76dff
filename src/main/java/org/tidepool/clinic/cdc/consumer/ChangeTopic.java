package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import java.util.List;
import org.bson.BsonValue;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;

/**
 * A CDC topic: decodes the change event and runs its handlers one after the other. Events are
 * ordered per changed document ({@code documentKey}), not per Kafka key: Kafka Connect keys its
 * events by resume token, unique per event.
 */
final class ChangeTopic implements TopicHandler {
  private final List<ChangeHandler> handlers;

  ChangeTopic(List<ChangeHandler> handlers) {
    this.handlers = List.copyOf(handlers);
  }

  @Override
  public Future<Void> handle(ReceivedRecord record) {
    ChangeEvent event = ChangeEventDecoder.decode(record.value());
    Future<Void> chain = Future.succeededFuture();
    for (ChangeHandler handler : handlers) {
      chain = chain.compose(done -> handler.handle(event));
    }
    return chain;
  }

  @Override
  public String orderKey(ReceivedRecord record) {
    try {
      BsonValue id = ChangeEventDecoder.decode(record.value()).documentId();
      if (id != null) {
        return record.topic() + "|" + (id.isObjectId() ? id.asObjectId().getValue().toHexString() : id.toString());
      }
    } catch (RuntimeException undecodable) {
      // dead-lettered at once when handled; its partition orders it
    }
    return record.topic() + "|partition " + record.partition();
  }
}
