package org.tidepool.clinic.cdc.consumer.handlers;

import org.tidepool.clinic.operations.StoreCalls;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;

/**
 * A change of the platform's {@code data.summary}: a CGM or BGM summary copied onto every clinic
 * record of its user ({@code UpdatePatientSummary}, with {@link SummaryExport}'s rules), a deleted
 * summary removed from them by its id ({@code DeletePatientSummary}). Both are idempotent: the store
 * writes a record only when its summary changes, so a redelivery writes nothing. Continuous
 * summaries and summaries without a user are skipped, as upstream.
 */
public final class PatientSummaryCopy implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(PatientSummaryCopy.class);
  private final StoreCalls store;

  public PatientSummaryCopy(StoreCalls store) {
    this.store = store;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    if (event.is(ChangeEvent.DELETE)) {
      String summaryId = Bson.id(event.documentId());
      return summaryId == null ? Future.succeededFuture()
          : done(store.call("DeletePatientSummary", new JsonObject().put("summaryId", summaryId), null));
    }
    BsonDocument summary = event.fullDocument();
    boolean written = event.is(ChangeEvent.INSERT) || event.is(ChangeEvent.UPDATE) || event.is(ChangeEvent.REPLACE);
    String type = Bson.string(summary, "type");
    String userId = Bson.string(summary, "userId");
    if (!written || userId == null || userId.isEmpty() || !(SummaryExport.CGM.equals(type) || SummaryExport.BGM.equals(type))) {
      return Future.succeededFuture();
    }
    JsonObject body = new JsonObject().put(SummaryExport.statsField(type), SummaryExport.statistics(type, Bson.object(summary), false));
    log.debug("{} summary of {} copied onto their clinic records", type, userId);
    return copy(store, userId, body);
  }

  /** {@code UpdatePatientSummary} of the user; a user without clinic records is done. */
  static Future<Void> copy(StoreCalls store, String userId, JsonObject summary) {
    return done(store.call("UpdatePatientSummary", new JsonObject().put("patientId", userId), summary));
  }

  private static Future<Void> done(Future<Object> call) {
    return call.<Void>mapEmpty().recover(failure -> StoreCalls.isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
  }
}
