package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the documents a query selects a page at a time in {@code _id} order, each page after the
 * last {@code _id} of the one before, handing each to a step before reading the next. For reads
 * too large for one reply (the embedded store answers a find in one reply whatever its size) and
 * for work done in batches.
 */
public final class IdPages {
  private IdPages() {}

  /** Runs {@code step} on every page of at most {@code size} documents of {@code query} (which names no {@code _id}), with the given fields. */
  public static Future<Void> forEach(MongoClient mongo, String collection, JsonObject query, JsonObject fields, int size,
                                     Function<List<JsonObject>, Future<Void>> step) {
    return after(mongo, collection, query, fields, size, step, null);
  }

  private static Future<Void> after(MongoClient mongo, String collection, JsonObject query, JsonObject fields, int size,
                                    Function<List<JsonObject>, Future<Void>> step, Object lastId) {
    JsonObject page = query.copy();
    if (lastId != null) {
      page.put("_id", new JsonObject().put("$gt", lastId));
    }
    FindOptions options = new FindOptions().setFields(fields).setSort(new JsonObject().put("_id", 1)).setLimit(size);
    return mongo.findWithOptions(collection, page, options).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      Object last = MongoJson.oid(MongoJson.hex(found.get(found.size() - 1).getValue("_id")));
      return step.apply(found).compose(done -> found.size() < size ? Future.succeededFuture()
          : after(mongo, collection, query, fields, size, step, last));
    });
  }
}
