package org.tidepool.clinic.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

  /**
   * A request with this header gets a JSON reply as its encoded bytes ({@link EncodedJson}): the HTTP edge writes them as
   * they are, instead of the bus copying the tree (local) or decoding it (clustered) for the edge
   * to encode it again.
   */
  public static final String ENCODED_REPLY = "encoded-reply";

  public static DeliveryOptions action(String action) {
    return new DeliveryOptions().addHeader(HEADER, action);
  }

  /** As {@link #action}, asking for the reply as encoded JSON ({@link #ENCODED_REPLY}). */
  public static DeliveryOptions actionWithEncodedReply(String action) {
    return action(action).addHeader(ENCODED_REPLY, "json");
  }

  public static <T> Future<T> request(EventBus bus, String address, String action, Object payload) {
    return bus.<T>request(address, payload, action(action)).map(Message::body);
  }

  /**
   * Registers one consumer that dispatches on the action header. A handler's failure is replied
   * with its {@link ServiceError#codeOf code}; an unknown action with 400. Every handled message
   * is timed in {@value #METER} by address, action and reply code.
   */
  public static <B> MessageConsumer<B> serve(Vertx vertx, String address,
                                             Map<String, Function<Message<B>, Future<?>>> handlers) {
    return serve(vertx, address, handlers, new InFlight());
  }

  /** As above; {@code inFlight} counts the messages being handled (a stop waits for them). */
  public static <B> MessageConsumer<B> serve(Vertx vertx, String address,
                                             Map<String, Function<Message<B>, Future<?>>> handlers, InFlight inFlight) {
    Map<String, Timer> timers = new ConcurrentHashMap<>();
    MeterRegistry meters = Meters.of(vertx);
    EncodedJson.registerOn(vertx.eventBus());
    return vertx.eventBus().<B>consumer(address, message -> {
      long started = System.nanoTime();
      // each message is handled on a context of its own: the id stays with this message's work
      RequestIds.bindFrom(message.headers());
      String action = message.headers().get(HEADER);
      Function<Message<B>, Future<?>> handler = action == null ? null : handlers.get(action);
      if (handler == null) {
        message.fail(ServiceError.BAD_REQUEST, "unknown action: " + action);
        // the action is not a label here: a caller must not be able to add series
        record(timers, meters, address, "unknown", ServiceError.BAD_REQUEST, started);
        return;
      }
      Future<?> result;
      try {
        result = handler.apply(message);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      inFlight.track(result).onComplete(done -> {
        if (done.succeeded()) {
          LOG.debug("{} on {}: done", action, address);
          message.reply(encodedIfAsked(message, done.result()));
          record(timers, meters, address, action, 200, started);
        } else {
          Throwable failure = done.cause();
          int code = ServiceError.codeOf(failure);
          boolean expected = failure instanceof ServiceError || failure instanceof ReplyException;
          message.fail(code, expected ? failure.getMessage() : "internal error");
          record(timers, meters, address, action, code, started);
          if (!expected) {
            LOG.error("action {} on {} failed", action, address, failure);
          } else {
            LOG.debug("{} on {}: {}", action, address, code);
          }
        }
      });
    });
  }

  private static Object encodedIfAsked(Message<?> message, Object reply) {
    if (!message.headers().contains(ENCODED_REPLY)) {
      return reply;
    }
    return reply instanceof JsonObject object ? new EncodedJson(object.toBuffer())
        : reply instanceof JsonArray array ? new EncodedJson(array.toBuffer()) : reply;
  }

  /** Handled event-bus requests: {@code clinic_eventbus_requests_seconds_count{address,action,code}}. */
  public static final String METER = "clinic.eventbus.requests";

  private static void record(Map<String, Timer> timers, MeterRegistry meters, String address, String action, int code,
                             long startedNanos) {
    timers.computeIfAbsent(action + " " + code, key -> Timer.builder(METER).description("event-bus requests handled, by address, action and reply code (200 = success)")
        .tags("address", address, "action", action, "code", String.valueOf(code))
        .register(meters)).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }
}
