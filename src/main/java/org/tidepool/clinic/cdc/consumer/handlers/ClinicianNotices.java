package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.operations.Catalogue;

/** Asks the store what a notice about a clinic member needs: clinic name, member name and email. */
public final class ClinicianNotices {
  private final EventBus bus;

  public ClinicianNotices(EventBus bus) {
    this.bus = bus;
  }

  public record Notice(String clinicName, String clinicianName, String clinicianEmail) {}

  /** The notice, or null when the store does not know the clinic (it was deleted since). */
  public Future<Notice> find(String clinicId, String userId) {
    JsonObject request = new JsonObject().put("clinicId", clinicId).put("userId", userId);
    return Actions.<JsonObject>request(bus, Catalogue.addressOf(Catalogue.CLINICIAN_NOTICE), Catalogue.CLINICIAN_NOTICE, request)
        .map(reply -> new Notice(reply.getString("clinicName"), reply.getString("clinicianName"), reply.getString("clinicianEmail")))
        .recover(failure -> isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == ServiceError.NOT_FOUND;
  }
}
