package org.tidepool.clinic.common;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.logging.RequestIds;

/**
 * The event-bus convention every verticle follows: one address per verticle, the operation in
 * the {@code action} header, JSON payloads, failures as {@code fail(code, text)}.
 */
public final class Actions {
  public static final String HEADER = "action";
  private static final Logger LOG = LoggerFactory.getLogger(Actions.class);

  private Actions() {}

  public static DeliveryOptions action(String action) {
    return new DeliveryOptions().addHeader(HEADER, action);
  }

  public static <T> Future<T> request(EventBus bus, String address, String action, Object payload) {
    return bus.<T>request(address, payload, action(action)).map(Message::body);
  }

  /**
   * Registers one consumer that dispatches on the action header. A handler's failure is replied
   * with its {@link ServiceError#codeOf code}; an unknown action with 400.
   */
  public static <B> MessageConsumer<B> serve(EventBus bus, String address,
                                             Map<String, Function<Message<B>, Future<?>>> handlers) {
    return bus.<B>consumer(address, message -> {
      // each message is handled on a context of its own: the id stays with this message's work
      RequestIds.bindFrom(message.headers());
      String action = message.headers().get(HEADER);
      Function<Message<B>, Future<?>> handler = action == null ? null : handlers.get(action);
      if (handler == null) {
        message.fail(ServiceError.BAD_REQUEST, "unknown action: " + action);
        return;
      }
      Future<?> result;
      try {
        result = handler.apply(message);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(done -> {
        if (done.succeeded()) {
          LOG.debug("{} on {}: done", action, address);
          message.reply(done.result());
        } else {
          Throwable failure = done.cause();
          int code = ServiceError.codeOf(failure);
          boolean expected = failure instanceof ServiceError || failure instanceof ReplyException;
          message.fail(code, expected ? failure.getMessage() : "internal error");
          if (!expected) {
            LOG.error("action {} on {} failed", action, address, failure);
          } else {
            LOG.debug("{} on {}: {}", action, address, code);
          }
        }
      });
    });
  }
}
