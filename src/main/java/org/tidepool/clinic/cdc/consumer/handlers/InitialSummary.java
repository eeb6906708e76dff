package org.tidepool.clinic.cdc.consumer.handlers;

import org.tidepool.clinic.operations.StoreCalls;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.platform.DataService;

/**
 * A new patient record of a user: the user's CGM and BGM summaries at the data service
 * ({@code GET /v1/summaries/{cgm|bgm}/{userId}}) copied onto their clinic records, as upstream
 * does on every insert with a user (the published record never carries a summary). Neither
 * summary (and always without a data service: embedded mode) → nothing.
 */
public final class InitialSummary {
  private final DataService data;
  private final StoreCalls store;

  public InitialSummary(DataService data, StoreCalls store) {
    this.data = data;
    this.store = store;
  }

  static boolean applies(ChangeEvent event) {
    return event.is(ChangeEvent.INSERT) && event.fullDocument() != null && !event.fullDocument().containsKey("summary");
  }

  Future<Void> handle(ChangeEvent event) {
    String userId = event.fullDocumentString("userId");
    Future<JsonObject> cgm = data.summary(SummaryExport.CGM, userId);
    Future<JsonObject> bgm = data.summary(SummaryExport.BGM, userId);
    return Future.all(cgm, bgm).compose(found -> {
      JsonObject summary = new JsonObject();
      // upstream's quirk on this path: lastUploadDate from lastUpdatedDate
      if (cgm.result() != null) {
        summary.put(SummaryExport.statsField(SummaryExport.CGM), SummaryExport.statistics(SummaryExport.CGM, cgm.result(), true));
      }
      if (bgm.result() != null) {
        summary.put(SummaryExport.statsField(SummaryExport.BGM), SummaryExport.statistics(SummaryExport.BGM, bgm.result(), true));
      }
      return summary.isEmpty() ? Future.succeededFuture() : PatientSummaryCopy.copy(store, userId, summary);
    });
  }
}
