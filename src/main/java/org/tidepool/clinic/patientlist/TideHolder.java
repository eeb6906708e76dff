package org.tidepool.clinic.patientlist;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * One stored patient as the TIDE report reads it (§3.6): its id (the tie-break of every order),
 * the period's metrics, the last CGM data, whether a Dexcom source is not connected, and the
 * projected document it was read from (mapped to the reply only if the patient is chosen).
 */
record TideHolder(String id, JsonObject metrics, Instant lastData, boolean dexcomNotConnected, JsonObject document) {

  static TideHolder of(JsonObject document, String period) {
    JsonObject stats = document.getValue("summary") instanceof JsonObject summary
        && summary.getValue("cgmStats") instanceof JsonObject cgm ? cgm : null;
    JsonObject metrics = stats != null && stats.getValue("periods") instanceof JsonObject periods
        && periods.getValue(period) instanceof JsonObject values ? values : null;
    Instant lastData = stats != null && stats.getValue("dates") instanceof JsonObject dates && dates.getValue("lastData") != null
        ? MongoJson.instant(dates.getValue("lastData")) : null;
    boolean dexcomNotConnected = document.getValue("dataSources") instanceof io.vertx.core.json.JsonArray sources
        && sources.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
            .anyMatch(source -> "dexcom".equals(source.getString("providerName")) && !"connected".equals(source.getString("state")));
    return new TideHolder(MongoJson.hex(document.getValue("_id")), metrics, lastData, dexcomNotConnected, document);
  }

  /** CGM data since the cutoff: the patients the categories consider. */
  boolean recent(Instant cutoff) {
    return lastData != null && !lastData.isBefore(cutoff);
  }

  /** No data at all, or none since {@code stale} and either none since the cutoff or a Dexcom source not connected. */
  boolean noRecentData(Instant cutoff, Instant stale) {
    return lastData == null || lastData.isBefore(stale) && (lastData.isBefore(cutoff) || dexcomNotConnected);
  }
}
