package org.tidepool.clinic.patientlist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.NameOrder;
import org.tidepool.clinic.patients.PatientRepository;

/**
 * Gives the patient records that lack it the name-order key the embedded store sorts names by
 * ({@link NameOrder#FULL_NAME_KEY}): records written before the key existed, or by a writer that
 * does not know it. {@value #BATCH} records at a time in {@code _id} order, each write conditional
 * on the name read and on the key still missing, so that a concurrent write of the name (which
 * sets the key) is never overwritten with a stale one.
 *
 * <p>Written directly, not published: the key is derived from {@code fullName}, upstream's
 * documents have no such field and the relay leaves it out of every event, so an event for it
 * would tell consumers nothing (an update with no upstream field changed). The record's
 * {@code revision} and {@code updatedTime} are left alone too: nothing a client sees changed.
 */
final class FullNameKeyBackfill {
  static final int BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(FullNameKeyBackfill.class);
  private static final String COLLECTION = PatientRepository.COLLECTION;

  private final MongoClient mongo;

  FullNameKeyBackfill(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The number of records given a key. */
  Future<Long> run() {
    return batchesAfter(null, 0).onSuccess(written -> {
      if (written > 0) {
        LOG.info("set {} on {} patient record(s) that lacked it", NameOrder.FULL_NAME_KEY, written);
      }
    });
  }

  private Future<Long> batchesAfter(Object lastId, long written) {
    JsonObject missing = new JsonObject().put(NameOrder.FULL_NAME_KEY, new JsonObject().put("$exists", false));
    if (lastId != null) {
      missing.put("_id", new JsonObject().put("$gt", lastId));
    }
    FindOptions page = new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(BATCH)
        .setFields(new JsonObject().put("fullName", 1));
    return mongo.findWithOptions(COLLECTION, missing, page).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(written);
      }
      Object last = MongoJson.oid(MongoJson.hex(found.get(found.size() - 1).getValue("_id")));
      List<BulkOperation> keys = found.stream().filter(record -> record.getValue("fullName") instanceof String)
          .map(FullNameKeyBackfill::keyOf).toList();
      Future<Long> batch = keys.isEmpty() ? Future.succeededFuture(0L)
          : mongo.bulkWriteWithOptions(COLLECTION, keys, new BulkWriteOptions(false)).map(result -> result.getModifiedCount());
      return batch.compose(count -> found.size() < BATCH ? Future.succeededFuture(written + count) : batchesAfter(last, written + count));
    });
  }

  private static BulkOperation keyOf(JsonObject record) {
    String name = record.getString("fullName");
    JsonObject unchanged = new JsonObject().put("_id", MongoJson.oid(MongoJson.hex(record.getValue("_id")))).put("fullName", name)
        .put(NameOrder.FULL_NAME_KEY, new JsonObject().put("$exists", false));
    return BulkOperation.createUpdate(unchanged, new JsonObject().put("$set", new JsonObject().put(NameOrder.FULL_NAME_KEY, NameOrder.key(name))));
  }
}
