package org.tidepool.clinic.cdc.consumer.gatekeeper;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.tidepool.clinic.cdc.consumer.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.ChangeHandler;

/**
 * Keeps gatekeeper's {@code clinician_permissions} collection in step with the clinicians, as
 * Tidepool's sink connector does, but with only the fields gatekeeper reads. BSON types are
 * kept: gatekeeper joins on {@code clinicId} as an ObjectId.
 */
public final class ClinicianPermissionsProjection implements ChangeHandler {
  public static final String COLLECTION = "clinician_permissions";
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
        yield clinician == null ? Future.succeededFuture()
            : gatekeeper.replaceDocumentsWithOptions(COLLECTION, byId, projection(id, clinician), new UpdateOptions().setUpsert(true)).mapEmpty();
      }
      case ChangeEvent.DELETE -> gatekeeper.removeDocument(COLLECTION, byId).mapEmpty();
      default -> Future.succeededFuture();
    };
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
