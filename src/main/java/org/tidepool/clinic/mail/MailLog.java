package org.tidepool.clinic.mail;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;

/** The {@value #COLLECTION} collection: one document per dedup key of a mail that was sent. */
final class MailLog {
  static final String COLLECTION = "mail_log";
  static final String SENT_TIME = "sentTime";

  private final MongoClient mongo;

  MailLog(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Boolean> wasSent(String dedupKey) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", dedupKey), new JsonObject().put("_id", 1))
        .map(found -> found != null);
  }

  Future<Void> recordSent(String dedupKey, SendRequest request) {
    JsonObject entry = new JsonObject()
        .put("_id", dedupKey)
        .put("template", request.template())
        .put("recipient", request.recipient())
        .put(SENT_TIME, new JsonObject().put("$date", Instant.now().toString()));
    return mongo.insert(COLLECTION, entry)
        .<Void>mapEmpty()
        // a concurrent send with the same key already recorded it
        .recover(e -> isDuplicateKey(e) ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private static boolean isDuplicateKey(Throwable e) {
    return e instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
  }
}
