package org.tidepool.clinic.logging;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The id of the request a piece of work belongs to. It lives in the local data of the Vert.x
 * context that does the work: each HTTP request and each event-bus message is handled on a
 * duplicated context of its own, and every callback of that work (futures, replies, timers,
 * blocking code) runs on it again, so event loops switching between requests never mix ids.
 * {@link RequestContextData} puts it into every log line; an event-bus interceptor carries it
 * in the {@link #HEADER} header of every message sent while it is set. Change records keep it
 * (field {@code requestId}), the relay sends it as a Kafka header and the consumer binds it
 * while it handles the record.
 */
public final class RequestIds {
  /** Request and response header, and event-bus message header. */
  public static final String HEADER = "X-Request-Id";
  /** Upstream Tidepool's gateway header, read when no {@link #HEADER} is given. */
  public static final String TIDEPOOL_HEADER = "X-Tidepool-Trace-Request";
  /** The key in log lines (MDC / JSON field). */
  public static final String LOG_KEY = "requestId";
  private static final String LOCAL_KEY = RequestIds.class.getName();
  /** What a client may choose as id: short and plain, so that it can neither forge log lines nor put an email address in them. */
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");
  private static final Set<Vertx> INSTALLED = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

  private RequestIds() {}

  /** The id of the current context's work, or null. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : (String) ((ContextInternal) context).localContextData().get(LOCAL_KEY);
  }

  /**
   * Binds {@code id} to the current context if it is a duplicated one (the work of one request or
   * message); never to a verticle's own context, which all its later work would share.
   */
  public static void bind(String id) {
    Context context = Vertx.currentContext();
    if (context != null && id != null && ((ContextInternal) context).isDuplicate()) {
      ((ContextInternal) context).localContextData().put(LOCAL_KEY, id);
    }
  }

  /**
   * Runs {@code work} on a fresh duplicate of the current context with {@code id} (may be null)
   * bound, for work that Vert.x does not give a context of its own (a Kafka record): its lines
   * and its callbacks carry that id and no earlier one.
   */
  public static <T> Future<T> runAs(String id, Supplier<Future<T>> work) {
    Context current = Vertx.currentContext();
    if (current == null) {
      return work.get();
    }
    ContextInternal fresh = ((ContextInternal) current).unwrap().duplicate();
    Promise<T> done = Promise.promise();
    fresh.dispatch(ignored -> {
      bind(id);
      try {
        work.get().onComplete(done);
      } catch (RuntimeException e) {
        done.tryFail(e);
      }
    });
    return done.future();
  }

  /** The client's id when it is acceptable, else a new one. */
  public static String fromHeaders(MultiMap headers) {
    String given = headers.get(HEADER);
    if (given == null) {
      given = headers.get(TIDEPOOL_HEADER);
    }
    return given != null && ACCEPTABLE.matcher(given).matches() ? given : UUID.randomUUID().toString();
  }

  /** Binds the id a message carries (if any) to the context handling it. */
  public static void bindFrom(MultiMap messageHeaders) {
    String id = messageHeaders.get(HEADER);
    if (id != null) {
      bind(id);
    }
  }

  /** Every message sent on this Vert.x while a request id is bound carries it (once per Vert.x instance). */
  public static void carryOnEventBus(Vertx vertx) {
    if (INSTALLED.add(vertx)) {
      vertx.eventBus().addOutboundInterceptor(delivery -> {
        String id = current();
        if (id != null && !delivery.message().headers().contains(HEADER)) {
          delivery.message().headers().set(HEADER, id);
        }
        delivery.next();
      });
    }
  }

  static Map<String, String> logContext() {
    String id = current();
    return id == null ? Map.of() : Map.of(LOG_KEY, id);
  }
}
