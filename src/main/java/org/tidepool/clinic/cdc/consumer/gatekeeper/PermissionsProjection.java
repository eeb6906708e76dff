package org.tidepool.clinic.cdc.consumer.gatekeeper;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.List;
import java.util.function.Supplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.UnjournaledWrites;

/**
 * Keeps one of gatekeeper's permission collections in step with a clinic collection, as
 * Tidepool's sink connectors do, but with only the fields gatekeeper reads: replaced (upsert) on
 * insert, update and replace, removed on delete, so that a deleted record revokes the access it
 * gave. BSON types are kept: gatekeeper joins on {@code clinicId} as an ObjectId.
 *
 * <p>A change written before one already applied to the same record is skipped: a dead-letter
 * replay (or any late redelivery) must not bring back access removed since. The {@code wallTime}
 * of the last applied change per record is kept beside the projection, in
 * {@link Projection#changes()}. (Not the resume token: the relay's tokens are outbox record ids,
 * which do not follow the write order across processes within one second.)
 */
public final class PermissionsProjection implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(PermissionsProjection.class);

  /**
   * What is projected where: the target collection, the collection of last applied change times
   * ({@code {_id: <record _id as hex>, wallTime: <epoch ms>}}), the fields kept besides
   * {@code _id}, and the index gatekeeper's lookups use.
   */
  public record Projection(String collection, String changes, List<String> fields, JsonObject index) {}

  /** Clinic → clinician: who belongs to a clinic (gatekeeper joins it on userId and clinicId). */
  public static final Projection CLINICIANS = new Projection("clinician_permissions", "clinician_permissions_changes",
      List.of("userId", "clinicId", "inviteId"), new JsonObject().put("userId", 1).put("clinicId", 1));
  /** Patient → clinic: the permissions a patient gave a clinic (gatekeeper looks them up by the patient's userId). */
  public static final Projection PATIENTS = new Projection("patient_permissions", "patient_permissions_changes",
      List.of("userId", "clinicId", "permissions"), new JsonObject().put("userId", 1));

  private final MongoClient gatekeeper;
  private final Projection projection;

  public PermissionsProjection(MongoClient gatekeeper, Projection projection) {
    this.gatekeeper = gatekeeper;
    this.projection = projection;
  }

  public Future<Void> createIndexes() {
    return gatekeeper.createIndexWithOptions(projection.collection(), projection.index(), new IndexOptions());
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
        BsonDocument document = event.fullDocument();
        // null: deleted since the change; its delete event follows and removes the projection
        yield document == null ? Future.succeededFuture() : ifLatest(event, byId, () -> gatekeeper
            .replaceDocumentsWithOptions(projection.collection(), byId, kept(id, document), new UpdateOptions().setUpsert(true))
            .mapEmpty());
      }
      case ChangeEvent.DELETE -> ifLatest(event, byId, () -> gatekeeper.removeDocument(projection.collection(), byId).mapEmpty());
      default -> Future.succeededFuture();
    };
  }

  /**
   * Records the event's {@code wallTime} as the record's latest, then applies the write; skips
   * the write when a later change was recorded. A change of the same time applies again, so a
   * redelivery completes a write that failed after the time was recorded. Events without a
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
    // not journaled on its own: the projection's write, journaled, always follows it (a redelivery
    // after a crash between the two applies again, as the entry has the same time)
    return UnjournaledWrites.upsert(gatekeeper, projection.changes(), notLater, record)
        .map(true)
        // the upsert collides with the existing entry: it holds a later change
        .recover(failure -> MongoJson.isDuplicateKey(failure) ? Future.succeededFuture(false) : Future.failedFuture(failure))
        .compose(latest -> {
          if (!latest) {
            log.info("{} {}: change {} was written before one already projected, skipped", projection.collection(),
                byId.getValue("_id"), event.id());
            return Future.succeededFuture();
          }
          return write.get();
        });
  }

  /**
   * The record's {@code _id} as text: an upsert whose filter holds {@code {"$oid": ...}} would
   * not store an ObjectId on every backend.
   */
  private static String changesKey(BsonValue id) {
    return id.isObjectId() ? id.asObjectId().getValue().toHexString() : new BsonDocument("_id", id).toJson();
  }

  private JsonObject kept(BsonValue id, BsonDocument document) {
    BsonDocument kept = new BsonDocument("_id", id);
    for (String field : projection.fields()) {
      if (document.containsKey(field)) {
        kept.put(field, document.get(field));
      }
    }
    return ChangeEvent.toMongoJson(kept);
  }
}
