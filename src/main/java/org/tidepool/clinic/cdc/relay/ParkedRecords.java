package org.tidepool.clinic.cdc.relay;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.types.ObjectId;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;

/**
 * Change records that Kafka will never accept as they are, kept in {@code cdc_parked} of the
 * clinic database so that they no longer stop the records behind them. A parked document is
 * {@code {_id: <the record's _id>, coll, documentKey, operationType, reason, parkedTime, record}}
 * with the whole original change record in {@code record}.
 *
 * <p>A retry puts the record back into the outbox as ready under a new, later {@code _id}: it is
 * published after everything recorded before the retry, not at its original place. Its event is
 * the one recorded at the time of the write (same {@code _id._data} and {@code wallTime}).
 */
public final class ParkedRecords {
  public static final String COLLECTION = "cdc_parked";
  private static final JsonObject SUMMARY_FIELDS = new JsonObject()
      .put("coll", 1).put("documentKey", 1).put("operationType", 1).put("reason", 1).put("parkedTime", 1);

  private final MongoClient mongo;

  public ParkedRecords(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** One parked record as an operator sees it. */
  public record Parked(String id, String collection, String documentId, String operation, String reason, Instant parkedTime) {}

  /**
   * Moves the record from the outbox to {@code cdc_parked}. Parking first and removing second:
   * a crash in between leaves it in both, and the next round parks it again (same {@code _id}).
   */
  Future<Void> park(JsonObject record, Throwable reason) {
    JsonObject id = oid(hex(record.getValue("_id")));
    JsonObject parked = new JsonObject()
        .put("_id", id)
        .put("coll", record.getValue("coll"))
        .put("documentKey", record.getValue("documentKey"))
        .put("operationType", record.getValue("operationType"))
        .put("reason", reason.toString())
        .put("parkedTime", new JsonObject().put("$date", Instant.now().toString()))
        .put("record", record.copy().put("_id", id));
    return mongo.save(COLLECTION, parked)
        .compose(saved -> mongo.removeDocument(ChangeRecorder.COLLECTION, new JsonObject().put("_id", id)))
        .mapEmpty();
  }

  /** All parked records, oldest change first, without their (possibly large) events. */
  public Future<List<Parked>> list() {
    FindOptions oldestFirst = new FindOptions().setSort(new JsonObject().put("_id", 1)).setFields(SUMMARY_FIELDS);
    return mongo.findWithOptions(COLLECTION, new JsonObject(), oldestFirst)
        .map(documents -> documents.stream().map(ParkedRecords::summary).toList());
  }

  /**
   * Puts one parked record back into the outbox as ready; answers the id of the new outbox
   * record, or empty when no record with that id is parked.
   */
  public Future<Optional<String>> retry(String parkedId) {
    JsonObject byId = new JsonObject().put("_id", oid(parkedId));
    return mongo.findOne(COLLECTION, byId, null).compose(parked -> {
      if (parked == null) {
        return Future.succeededFuture(Optional.empty());
      }
      String retriedId = new ObjectId().toHexString();
      JsonObject again = parked.getJsonObject("record").copy()
          .put("_id", oid(retriedId))
          .put("state", "ready")
          .put("retriedFrom", parkedId);
      // into the outbox before out of cdc_parked: a crash in between publishes it twice, never not at all
      return mongo.insert(ChangeRecorder.COLLECTION, again)
          .compose(inserted -> mongo.removeDocument(COLLECTION, byId))
          .map(removed -> Optional.of(retriedId));
    });
  }

  /** A parked record put back into the outbox under a new id. */
  public record Retried(String parkedId, String outboxId) {}

  /**
   * Retries the given parked records one after the other, in this order (so they are published
   * in it); answers those retried. Ids not parked are left out.
   */
  public Future<List<Retried>> retry(List<String> parkedIds) {
    List<Retried> retried = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String parkedId : parkedIds) {
      chain = chain.compose(done -> retry(parkedId).map(outboxId -> {
        outboxId.ifPresent(id -> retried.add(new Retried(parkedId, id)));
        return null;
      }));
    }
    return chain.map(retried);
  }

  /** Retries every parked record, in their original order. */
  public Future<List<Retried>> retryAll() {
    return list().compose(parked -> retry(parked.stream().map(Parked::id).toList()));
  }

  private static Parked summary(JsonObject document) {
    // the fields of a hand-made or broken record may be anything: shown as they are
    Object key = document.getValue("documentKey");
    Object parkedTime = document.getValue("parkedTime");
    Object date = parkedTime instanceof JsonObject wrapped ? wrapped.getValue("$date") : parkedTime;
    return new Parked(hex(document.getValue("_id")), text(document.getValue("coll")),
        key instanceof JsonObject documentKey ? hex(documentKey.getValue("_id")) : text(key),
        text(document.getValue("operationType")), text(document.getValue("reason")),
        date instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : date == null ? null : Instant.parse(date.toString()));
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static JsonObject oid(String hex) {
    return new JsonObject().put("$oid", hex);
  }

  /** The hex of an id as the client returns it: a plain string or {@code {"$oid": hex}}. */
  private static String hex(Object id) {
    return id instanceof JsonObject object ? object.getString("$oid") : id == null ? null : id.toString();
  }
}
