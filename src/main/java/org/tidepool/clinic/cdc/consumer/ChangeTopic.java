package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import java.util.List;
import org.bson.BsonValue;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;

/**
 * A CDC topic: decodes the change event and runs its handlers side by side (they are independent:
 * upstream runs them in different processes, the gatekeeper sink beside the worker), the event
 * done when all are, failed (and retried as a whole: every handler is idempotent) when any failed
 * once all have finished. Events are ordered per changed document ({@code documentKey}), not per
 * Kafka key: Kafka Connect keys its events by resume token, unique per event.
 */
final class ChangeTopic implements TopicHandler {
  private final List<ChangeHandler> handlers;

  ChangeTopic(List<ChangeHandler> handlers) {
    this.handlers = List.copyOf(handlers);
  }

  @Override
  public Future<Void> handle(ReceivedRecord record) {
    ChangeEvent event = ChangeEventDecoder.decode(record.value());
    List<Future<Void>> runs = handlers.stream().map(handler -> safely(handler, event)).toList();
    // join, not all: a retry must not start while a handler of this attempt still runs
    return Future.join(runs).transform(joined -> runs.stream().filter(Future::failed).findFirst()
        .<Future<Void>>map(failed -> Future.failedFuture(failed.cause())).orElse(Future.succeededFuture()));
  }

  private static Future<Void> safely(ChangeHandler handler, ChangeEvent event) {
    try {
      return handler.handle(event);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
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
