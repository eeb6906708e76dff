package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.platform.DataService;
import org.tidepool.clinic.operations.StoreCalls;

/**
 * An existing user added as a patient: their data sources at the data service copied onto
 * their patient records ({@code UpdatePatientDataSources}; a user without records is fine).
 */
public final class DataSourceCopy {
  private final DataService data;
  private final StoreCalls store;

  public DataSourceCopy(DataService data, StoreCalls store) {
    this.data = data;
    this.store = store;
  }

  Future<Void> handle(ChangeEvent event) {
    String userId = event.fullDocumentString("userId");
    return data.dataSources(userId).compose(sources -> {
      if (sources.isEmpty()) {
        return Future.succeededFuture();
      }
      JsonArray copied = new JsonArray();
      for (Object item : sources) {
        if (item instanceof JsonObject source && source.getString("providerName") != null && source.getString("state") != null) {
          JsonObject entry = new JsonObject().put("providerName", source.getString("providerName")).put("state", source.getString("state"));
          if (source.getValue("modifiedTime") != null) {
            entry.put("modifiedTime", source.getValue("modifiedTime"));
          }
          copied.add(entry);
        }
      }
      return store.call("UpdatePatientDataSources", new JsonObject().put("userId", userId), copied).<Void>mapEmpty()
          .recover(failure -> StoreCalls.isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
    });
  }
}
