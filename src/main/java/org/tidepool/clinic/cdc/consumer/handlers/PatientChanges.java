package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import org.bson.BsonDocument;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;

/**
 * The clinic-worker's steps for a change of a patient record, in upstream's order: a custodial
 * account's profile sync and signup invite; a new non-custodial patient's data sources; a new
 * patient's initial summary; the upload reminder (which ends the event's handling); the provider connection requests. A
 * failing step fails the event, which is retried from the start: every step is idempotent or
 * recorded as done.
 */
public final class PatientChanges implements ChangeHandler {
  private final CustodialAccountSync custodial;
  private final DataSourceCopy dataSources;
  private final InitialSummary initialSummary;
  private final UploadReminderMail uploadReminder;
  private final ProviderConnectionMails connections;

  public PatientChanges(CustodialAccountSync custodial, DataSourceCopy dataSources, InitialSummary initialSummary,
                        UploadReminderMail uploadReminder, ProviderConnectionMails connections) {
    this.custodial = custodial;
    this.dataSources = dataSources;
    this.initialSummary = initialSummary;
    this.uploadReminder = uploadReminder;
    this.connections = connections;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonDocument patient = event.fullDocument();
    // a delete (or a record deleted since) has nothing to act on; a connector's copy of an
    // existing record is no change (upstream turned copying off because it re-mailed)
    if (patient == null || event.isCopy() || Bson.string(patient, "userId") == null) {
      return Future.succeededFuture();
    }
    boolean written = event.is(ChangeEvent.INSERT) || event.is(ChangeEvent.UPDATE) || event.is(ChangeEvent.REPLACE);
    if (!written) {
      return Future.succeededFuture();
    }
    boolean isCustodial = Bson.isCustodial(patient);
    Future<Void> chain = isCustodial ? custodial.handle(event) : Future.succeededFuture();
    if (event.is(ChangeEvent.INSERT) && !isCustodial) {
      chain = chain.compose(done -> dataSources.handle(event));
    }
    if (InitialSummary.applies(event)) {
      chain = chain.compose(done -> initialSummary.handle(event));
    }
    if (UploadReminderMail.requested(event)) {
      return chain.compose(done -> uploadReminder.handle(event));
    }
    return chain.compose(done -> connections.handle(event));
  }
}
