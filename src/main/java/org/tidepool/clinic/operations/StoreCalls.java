package org.tidepool.clinic.operations;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.ServiceError;

/**
 * The store's operations, called over the event bus as the clinic-worker calls the clinic
 * service's API upstream: as a backend service.
 */
public final class StoreCalls {
  static final String CALLER = "clinic-worker";
  private final EventBus bus;

  public StoreCalls(EventBus bus) {
    this.bus = bus;
  }

  /** The operation's reply; fails with the store's failure (see {@link #isNotFound}). */
  public <T> Future<T> call(String operationId, JsonObject path, Object body) {
    JsonObject envelope = new JsonObject()
        .put("caller", new JsonObject().put("userId", CALLER).put("server", true))
        .put("path", path)
        .put("query", new JsonObject());
    if (body != null) {
      envelope.put("body", body);
    }
    return Actions.request(bus, Catalogue.addressOf(operationId), operationId, envelope);
  }

  /** An internal action of the store ({@link Catalogue#INTERNAL_ACTIONS}): its body as it is, no envelope. */
  public <T> Future<T> internal(String action, JsonObject body) {
    return Actions.request(bus, Catalogue.addressOf(action), action, body);
  }

  /** The clinic's name, or null when the clinic is gone. */
  public Future<String> clinicName(String clinicId) {
    return this.<JsonObject>call("GetClinic", new JsonObject().put("clinicId", clinicId), null)
        .map(clinic -> clinic == null ? null : clinic.getString("name"))
        .recover(failure -> isNotFound(failure) ? Future.succeededFuture(null) : Future.failedFuture(failure));
  }

  public static boolean isNotFound(Throwable failure) {
    return isRefusal(failure, ServiceError.NOT_FOUND);
  }

  public static boolean isConflict(Throwable failure) {
    return isRefusal(failure, ServiceError.CONFLICT);
  }

  /** Whether the store answered with this failure code (not: the request timed out or found no store). */
  public static boolean isRefusal(Throwable failure, int code) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == code;
  }
}
