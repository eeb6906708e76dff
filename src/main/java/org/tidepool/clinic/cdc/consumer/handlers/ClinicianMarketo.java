package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import org.tidepool.clinic.platform.Marketo;

/** A clinician written (not an invite): Marketo refreshes the user. Failures are logged and swallowed, as upstream. */
public final class ClinicianMarketo implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(ClinicianMarketo.class);
  private final Marketo marketo;

  public ClinicianMarketo(Marketo marketo) {
    this.marketo = marketo;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonDocument clinician = event.fullDocument();
    String userId = Bson.string(clinician, "userId");
    boolean written = event.is(ChangeEvent.INSERT) || event.is(ChangeEvent.UPDATE) || event.is(ChangeEvent.REPLACE);
    if (!written || clinician == null || userId == null || userId.isEmpty() || Bson.id(clinician.get("clinicId")) == null) {
      return Future.succeededFuture();
    }
    return marketo.refresh(userId).<Void>mapEmpty().recover(failure -> {
      log.warn("marketo refresh of {} failed: {}", userId, failure.getMessage());
      return Future.succeededFuture();
    });
  }
}
