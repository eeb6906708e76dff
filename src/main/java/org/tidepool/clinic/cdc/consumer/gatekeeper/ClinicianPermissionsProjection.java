package org.tidepool.clinic.cdc.consumer.gatekeeper;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.function.Supplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;

/**
 * Keeps gatekeeper's {@code clinician_permissions} collection in step with the clinicians, as
 * Tidepool's sink connector does, but with only the fields gatekeeper reads. BSON types are
 * kept: gatekeeper joins on {@code clinicId} as an ObjectId.
 *
 * <p>A change written before one already applied to the same clinician is skipped: a dead-letter
 * replay (or any late redelivery) must not bring back the access of a clinician removed since.
 * The {@code wallTime} of the last applied change per clinician is kept beside the projection,
 * in {@value #CHANGES}. (Not the resume token: the relay's tokens are outbox record ids, which
 * do not follow the write order across processes within one second.)
 */
public final class ClinicianPermissionsProjection implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(ClinicianPermissionsProjection.class);
  public static final String COLLECTION = "clinician_permissions";
  /** {@code {_id: <clinician _id as hex>, wallTime: <epoch ms of the last applied change>}}. */
  public static final String CHANGES = "clinician_permissions_changes";
  private static final String[] FIELDS = {"_id", "userId", "clinicId", "inviteId"};

  private final MongoClient gatekeeper;

  public ClinicianPermissionsProjection(MongoClient gatekeeper) {
    this.gatekeeper = gatekeeper;
  }

  /** The index gatekeeper's membership lookup uses. */
  public Future<Void> createIndexes() {
    return gatekeeper.createIndexWithOptions(COLLECTION, new JsonObject().put("userId", 1).put("clinicId", 1), new IndexOptions());
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonValue id = event.documentId();
    if (id == null) {
      return Future.succeededFuture();
    }
    JsonObject byId = ChangeEvent.toMongoJson(new BsonDocument("_id", id));
    return switch (event.operationType()) {
      case ChangeEvent.INSERT, ChangeEvent.UPDATE, ChangeEvent.REPLACE -> {
        BsonDocument clinician = event.fullDocument();
        // null: deleted since the change; its delete event follows and removes the projection
        yield clinician == null ? Future.succeededFuture() : ifLatest(event, byId, () -> gatekeeper
            .replaceDocumentsWithOptions(COLLECTION, byId, projection(id, clinician), new UpdateOptions().setUpsert(true)).mapEmpty());
      }
      case ChangeEvent.DELETE -> ifLatest(event, byId, () -> gatekeeper.removeDocument(COLLECTION, byId).mapEmpty());
      default -> Future.succeededFuture();
    };
  }

  /**
   * Records the event's {@code wallTime} as the clinician's latest, then applies the write;
   * skips the write when a later change was recorded. A change of the same time applies again,
   * so a redelivery completes a write that failed after the time was recorded. Events without a
   * {@code wallTime} (MongoDB before 6.0) are applied as they come.
   */
  private Future<Void> ifLatest(ChangeEvent event, JsonObject byId, Supplier<Future<Void>> write) {
    Long wallTime = event.wallTimeMillis();
    if (wallTime == null) {
      return write.get();
    }
    // matches an entry without a later time, and no entry at all (then the upsert inserts)
    JsonObject notLater = new JsonObject().put("_id", changesKey(event.documentId()))
        .put("wallTime", new JsonObject().put("$not", new JsonObject().put("$gt", wallTime)));
    JsonObject record = new JsonObject().put("$set", new JsonObject().put("wallTime", wallTime));
    return gatekeeper.updateCollectionWithOptions(CHANGES, notLater, record, new UpdateOptions().setUpsert(true))
        .map(true)
        // the upsert collides with the existing entry: it holds a later change
        .recover(failure -> isDuplicateKey(failure) ? Future.succeededFuture(false) : Future.failedFuture(failure))
        .compose(latest -> {
          if (!latest) {
            log.info("clinician {}: change {} was written before one already projected, skipped", byId.getValue("_id"), event.id());
            return Future.succeededFuture();
          }
          return write.get();
        });
  }

  /**
   * The clinician's {@code _id} as text: an upsert whose filter holds {@code {"$oid": ...}} would
   * not store an ObjectId on every backend.
   */
  private static String changesKey(BsonValue id) {
    return id.isObjectId() ? id.asObjectId().getValue().toHexString() : new BsonDocument("_id", id).toJson();
  }

  private static boolean isDuplicateKey(Throwable failure) {
    return failure instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
  }

  private static JsonObject projection(BsonValue id, BsonDocument clinician) {
    BsonDocument kept = new BsonDocument("_id", id);
    for (String field : FIELDS) {
      if (clinician.containsKey(field) && !field.equals("_id")) {
        kept.put(field, clinician.get(field));
      }
    }
    return ChangeEvent.toMongoJson(kept);
  }
}
