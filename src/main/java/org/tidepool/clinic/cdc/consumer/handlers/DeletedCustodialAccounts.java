package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import org.tidepool.clinic.platform.DataService;
import org.tidepool.clinic.platform.PatientAccounts;

/**
 * A custodial patient record archived in {@code patient_deletions}: the account is deleted when
 * it holds no data, else its emails are removed so that the address can be used again and the
 * data survives. Both are idempotent (an account that is gone is no failure).
 */
public final class DeletedCustodialAccounts implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(DeletedCustodialAccounts.class);

  private final DataService data;
  private final PatientAccounts accounts;

  public DeletedCustodialAccounts(DataService data, PatientAccounts accounts) {
    this.data = data;
    this.accounts = accounts;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonDocument archived = event.fullDocument();
    BsonDocument patient = archived != null && archived.isDocument("patient") ? archived.getDocument("patient") : null;
    String userId = Bson.string(patient, "userId");
    if (!event.is(ChangeEvent.INSERT) || !Bson.isCustodial(patient) || userId == null || userId.isEmpty()) {
      return Future.succeededFuture();
    }
    return data.hasDataSets(userId).compose(hasData -> {
      if (hasData) {
        log.info("custodial account {} of a deleted patient keeps its data; its emails are removed", userId);
        return accounts.updateCustodialUser(userId, null);
      }
      log.info("custodial account {} of a deleted patient has no data; it is deleted", userId);
      return accounts.deleteAccount(userId);
    });
  }
}
