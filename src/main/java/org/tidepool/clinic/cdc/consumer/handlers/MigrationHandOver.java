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
import org.tidepool.clinic.migration.MigrationAddresses;

/**
 * A new migration (an insert into {@code migrations}, the only event upstream's worker acts on)
 * is handed to the migration verticle, which answers once it has accepted it: a migration may
 * take minutes. Where no migration verticle is reachable the hand-over is dropped, not retried:
 * the migration document is the durable record, and a migration process's sweep takes it up.
 */
public final class MigrationHandOver implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(MigrationHandOver.class);

  private final EventBus bus;

  public MigrationHandOver(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonValue id = event.documentId();
    if (!event.is(ChangeEvent.INSERT) || event.isCopy() || id == null || !id.isObjectId()) {
      return Future.succeededFuture();
    }
    String migrationId = id.asObjectId().getValue().toHexString();
    return Actions.request(bus, MigrationAddresses.ADDRESS, MigrationAddresses.RUN, new JsonObject().put("migrationId", migrationId))
        .<Void>mapEmpty()
        .recover(failure -> {
          if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            log.info("migration {}: no migration verticle reachable, left to the sweep of a process with the migration role",
                migrationId);
            return Future.succeededFuture();
          }
          return Future.failedFuture(failure);
        });
  }
}
