package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.operations.Catalogue;

/**
 * A clinic update that set {@code lastDeletedPatientTag} (DeletePatientTag): the tag comes off
 * every patient of the clinic, by the operation upstream's worker calls,
 * DeletePatientTagFromClinicPatients for all patients, as a backend service. Removing a tag is
 * repeatable, so a redelivered change does no harm; a clinic deleted since has nothing to strip.
 */
public final class DeletedPatientTagRipple implements ChangeHandler {
  static final String OPERATION = "DeletePatientTagFromClinicPatients";
  static final String FIELD = "lastDeletedPatientTag";
  private static final Logger log = LoggerFactory.getLogger(DeletedPatientTagRipple.class);

  private final EventBus bus;

  public DeletedPatientTagRipple(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonValue tag = event.updatedFields().get(FIELD);
    BsonValue clinic = event.documentId();
    if (!event.is(ChangeEvent.UPDATE) || tag == null || clinic == null || !clinic.isObjectId()) {
      return Future.succeededFuture();
    }
    String tagId = tag.isObjectId() ? tag.asObjectId().getValue().toHexString() : tag.isString() ? tag.asString().getValue() : null;
    if (tagId == null) {
      log.warn("clinic {}: lastDeletedPatientTag is no id ({}), nothing stripped", clinic, tag);
      return Future.succeededFuture();
    }
    String clinicId = clinic.asObjectId().getValue().toHexString();
    JsonObject request = new JsonObject()
        .put("caller", new JsonObject().put("server", true))
        .put("path", new JsonObject().put("clinicId", clinicId).put("patientTagId", tagId))
        .putNull("body");
    return Actions.request(bus, Catalogue.addressOf(OPERATION), OPERATION, request).<Void>mapEmpty()
        .recover(failure -> isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == ServiceError.NOT_FOUND;
  }
}
