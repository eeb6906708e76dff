package org.tidepool.clinic.patientlist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.mongo.IdPages;
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
    JsonObject missing = new JsonObject().put(NameOrder.FULL_NAME_KEY, new JsonObject().put("$exists", false));
    AtomicLong written = new AtomicLong();
    return IdPages.forEach(mongo, COLLECTION, missing, new JsonObject().put("fullName", 1), BATCH, page -> {
      List<BulkOperation> keys = page.stream().filter(record -> record.getValue("fullName") instanceof String)
          .map(FullNameKeyBackfill::keyOf).toList();
      return keys.isEmpty() ? Future.succeededFuture()
          : mongo.bulkWriteWithOptions(COLLECTION, keys, new BulkWriteOptions(false)).map(result -> {
            written.addAndGet(result.getModifiedCount());
            return null;
          });
    }).map(done -> written.get()).onSuccess(count -> {
      if (count > 0) {
        LOG.info("set {} on {} patient record(s) that lacked it", NameOrder.FULL_NAME_KEY, count);
      }
    });
  }

  private static BulkOperation keyOf(JsonObject record) {
    String name = record.getString("fullName");
    JsonObject unchanged = new JsonObject().put("_id", MongoJson.oid(MongoJson.hex(record.getValue("_id")))).put("fullName", name)
        .put(NameOrder.FULL_NAME_KEY, new JsonObject().put("$exists", false));
    return BulkOperation.createUpdate(unchanged, new JsonObject().put("$set", new JsonObject().put(NameOrder.FULL_NAME_KEY, NameOrder.key(name))));
  }
}
