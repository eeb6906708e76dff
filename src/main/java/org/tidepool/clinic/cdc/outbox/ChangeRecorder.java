package org.tidepool.clinic.cdc.outbox;

import com.mongodb.MongoBulkWriteException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.logging.RequestIds;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites;
import org.tidepool.clinic.mongo.PublishedWrites.DocumentUpdate;
import org.tidepool.clinic.mongo.Revision;
import org.tidepool.clinic.mongo.UnjournaledWrites;

/**
 * Performs the writes to published collections bracketed by change records in {@code cdc_outbox}
 * (docs/design.md): a pending record before the data write, the data write, then the record made
 * ready with its change event. A crash in between leaves a pending record that {@link #repair}
 * settles from what the document shows.
 */
public final class ChangeRecorder implements PublishedWrites {
  public static final String COLLECTION = "cdc_outbox";
  /**
   * Event-bus address on which the recorder publishes an empty message whenever a change record
   * became ready, so that whoever publishes the outbox need not wait for its next poll.
   */
  public static final String RECORDS_READY = "cdc.outbox.ready";
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);
  static final String CONCURRENT_CHANGE = "the document is being changed by other requests; try again";
  /** Updates that lose the revision race to writers in other processes this often give up (409). */
  private static final int REVISION_ATTEMPTS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(ChangeRecorder.class);

  private final Vertx vertx;
  private final MongoClient mongo;
  private final ChangeEvents events;
  private final Map<String, Future<?>> tails = new HashMap<>();

  public ChangeRecorder(Vertx vertx, MongoClient mongo, String databaseName) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.events = new ChangeEvents(databaseName);
  }

  @Override
  public Future<JsonObject> insert(String coll, JsonObject document) {
    String documentId = MongoJson.hex(document.getValue("_id"));
    Objects.requireNonNull(documentId, "document _id");
    return serialized(documentId, () -> insertAlone(coll, document));
  }

  /**
   * The inserts of a batch, bracketed as one: every document's pending record inserted at once,
   * one unordered bulk insert, the records made ready at once. When the bulk insert fails (some
   * documents may be in), the documents are read back: the records of those present and not
   * refused by the server (a duplicate {@code _id} is there, but not this batch's) become
   * ready, the others are removed and those documents are inserted alone by {@link #insert},
   * which gives each its own failure. A crash in between leaves pending records that
   * {@link #repair} settles (insert: the document exists).
   */
  @Override
  public Future<List<Throwable>> insertEach(String coll, List<JsonObject> documents) {
    if (documents.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> documentIds = documents.stream().map(document -> MongoJson.hex(document.getValue("_id"))).toList();
    if (documentIds.contains(null) || new HashSet<>(documentIds).size() != documentIds.size()) {
      return Future.failedFuture(new IllegalArgumentException("insertEach needs documents with distinct _ids"));
    }
    return serializedAll(documentIds, () -> insertBatch(coll, documentIds, documents));
  }

  private Future<List<Throwable>> insertBatch(String coll, List<String> documentIds, List<JsonObject> documents) {
    List<String> recordIds = documentIds.stream().map(id -> MongoJson.newId()).toList();
    List<JsonObject> pending = new ArrayList<>();
    List<BulkOperation> inserts = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      pending.add(pendingRecord(recordIds.get(i), coll, documentIds.get(i), "insert", new JsonObject()));
      inserts.add(BulkOperation.createInsert(documents.get(i)));
    }
    // not journaled on their own, as a single pending record (see begin)
    return UnjournaledWrites.insertAll(mongo, COLLECTION, pending)
        .compose(recorded -> mongo.bulkWriteWithOptions(coll, inserts, new BulkWriteOptions(false))
            .compose(inserted -> {
              Map<String, JsonObject> ready = new LinkedHashMap<>();
              for (int i = 0; i < documents.size(); i++) {
                ready.put(recordIds.get(i), events.insert(recordIds.get(i), coll, documents.get(i)));
              }
              List<Throwable> none = new ArrayList<>();
              documents.forEach(document -> none.add(null));
              return readyAll(ready).map(v -> none);
            }, failure -> insertedAlone(coll, documentIds, recordIds, documents, failure)));
  }

  /** After a failed bulk insert: the documents present keep their records, the others are inserted one by one. */
  private Future<List<Throwable>> insertedAlone(String coll, List<String> documentIds, List<String> recordIds, List<JsonObject> documents,
                                                Throwable failure) {
    LOG.info("bulk insert of {} documents into {} failed ({}); settling them one by one", documents.size(), coll, failure.toString());
    Set<Integer> refused = refusedIndexes(failure);
    return mongo.findWithOptions(coll, idsIn(documentIds), new FindOptions().setFields(new JsonObject().put("_id", 1))).compose(found -> {
      Set<String> present = new HashSet<>();
      found.forEach(document -> present.add(MongoJson.hex(document.getValue("_id"))));
      // a document the server refused is not this batch's, even when one of its _id is there
      if (refused != null) {
        refused.forEach(index -> present.remove(documentIds.get(index)));
      }
      Map<String, JsonObject> ready = new LinkedHashMap<>();
      List<String> unwritten = new ArrayList<>();
      for (int i = 0; i < documents.size(); i++) {
        if (present.contains(documentIds.get(i))) {
          ready.put(recordIds.get(i), events.insert(recordIds.get(i), coll, documents.get(i)));
        } else {
          unwritten.add(recordIds.get(i));
        }
      }
      return readyAll(ready).compose(v -> discardAll(unwritten)).compose(v -> {
        List<Future<Throwable>> outcomes = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
          outcomes.add(present.contains(documentIds.get(i)) ? Future.succeededFuture(null)
              : insertAlone(coll, documents.get(i)).map((Throwable) null).recover(Future::succeededFuture));
        }
        return Future.all(outcomes).map(all -> outcomes.stream().map(Future::result).toList());
      });
    });
  }

  /** The positions of the documents a bulk write's server refused, or null when the failure does not say. */
  private static Set<Integer> refusedIndexes(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoBulkWriteException bulk) {
        Set<Integer> refused = new HashSet<>();
        bulk.getWriteErrors().forEach(error -> refused.add(error.getIndex()));
        return refused;
      }
    }
    return null;
  }

  /** {@link #insert} without {@link #serialized}: the batch holds these documents already. */
  private Future<JsonObject> insertAlone(String coll, JsonObject document) {
    String documentId = MongoJson.hex(document.getValue("_id"));
    return begin(coll, documentId, "insert", new JsonObject())
        .compose(recordId -> mongo.insert(coll, document)
            .recover(failure -> settleFailed(recordId, failure).compose(v -> Future.failedFuture(failure)))
            .compose(inserted -> ready(recordId, events.insert(recordId, coll, document)))
            .map(document));
  }

  /**
   * Applies {@code update} to the document {@code documentId} if it also matches
   * {@code conditions}. The update's {@code $set} gets {@code updatedTime} and the next
   * {@link Revision}: the write is conditional on the revision read just before it, so that the
   * pending record can name the revision its write produces (what {@link #repair} looks for).
   * Returns the document after the write, or null when nothing matched (and then no change is
   * recorded).
   */
  @Override
  public Future<JsonObject> update(String coll, String documentId, JsonObject conditions, JsonObject update) {
    JsonObject filter = conditions.copy().put("_id", MongoJson.oid(documentId));
    Long required = Revision.required(conditions);
    if (required != null) {
      // the caller's optimistic lock names the revision: the write is at it or matches nothing, no need to read it
      return serialized(documentId, () -> updateAtRevision(coll, documentId, filter, update, required, REVISION_ATTEMPTS));
    }
    return serialized(documentId, () -> updateAtCurrentRevision(coll, documentId, filter, update, REVISION_ATTEMPTS));
  }

  private Future<JsonObject> updateAtCurrentRevision(String coll, String documentId, JsonObject filter, JsonObject update,
                                                     int attemptsLeft) {
    JsonObject byId = new JsonObject().put("_id", MongoJson.oid(documentId));
    return mongo.findOne(coll, byId, new JsonObject().put(Revision.FIELD, 1)).compose(current -> current == null
        ? Future.succeededFuture(null)
        : updateAtRevision(coll, documentId, filter, update, Revision.of(current), attemptsLeft));
  }

  /** The update at {@code revision} (read just before, or required by the conditions), bracketed by its change record. */
  private Future<JsonObject> updateAtRevision(String coll, String documentId, JsonObject filter, JsonObject update, long revision,
                                              int attemptsLeft) {
    RevisedUpdate revised = RevisedUpdate.of(update, revision, Instant.now());
    JsonObject atRevision = new JsonObject().put("$and", new JsonArray().add(filter).add(Revision.is(revised.next() - 1)));
    return begin(coll, documentId, "update", revised.expect())
        .compose(recordId -> mongo.findOneAndUpdateWithOptions(coll, atRevision, revised.write(), new FindOptions(),
                new UpdateOptions().setReturningNewDocument(true))
            .recover(failure -> settleFailed(recordId, failure).compose(v -> Future.failedFuture(failure)))
            .compose(after -> {
              if (after != null) {
                return ready(recordId, events.update(recordId, coll, after, revised.changed(), revised.removed())).map(after);
              }
              // the conditions no longer hold, or a writer in another process took the revision
              return discard(recordId).compose(v -> mongo.findOne(coll, filter, new JsonObject().put("_id", 1))).compose(stillMatching -> {
                if (stillMatching == null) {
                  return Future.succeededFuture(null);
                }
                return attemptsLeft > 1 ? updateAtCurrentRevision(coll, documentId, filter, update, attemptsLeft - 1)
                    : Future.failedFuture(ServiceError.conflict(CONCURRENT_CHANGE));
              });
            }));
  }

  /**
   * The updates of a batch, bracketed as one: the revisions of all documents read at once, the
   * pending records inserted at once, one bulk write of conditional updates (each at the revision
   * read, as {@link #update}), the documents read back, and the records made ready (the documents
   * that show their write: revision and time) or removed at once. A crash in between leaves
   * pending records that {@link #repair} settles one by one, as for single writes.
   *
   * <p>A document that does not show its write but whose revision moved since it was read met a
   * writer of another request or process (pushed summaries take no clinic lock). Either that
   * writer came first and this batch's update did not apply: the document is retried alone by
   * {@link #update}. Or it came after and overwrote the batch's revision before the read-back:
   * when the bulk write's count of modified documents says exactly these were written, their
   * records become ready with the document as it is now (no older than the state the later
   * event shows, whose record comes after); when it cannot tell which ones were, they are retried
   * alone, and the change of one that was written is carried by the later writer's event only
   * (never two events for one write).
   */
  @Override
  public Future<List<JsonObject>> updateEach(String coll, List<DocumentUpdate> updates) {
    if (updates.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> documentIds = updates.stream().map(DocumentUpdate::documentId).toList();
    if (new HashSet<>(documentIds).size() != documentIds.size()) {
      return Future.failedFuture(new IllegalArgumentException("updateEach needs distinct documents"));
    }
    return serializedAll(documentIds, () -> updateBatch(coll, updates));
  }

  private Future<List<JsonObject>> updateBatch(String coll, List<DocumentUpdate> updates) {
    JsonObject byIds = idsIn(updates.stream().map(DocumentUpdate::documentId).toList());
    return mongo.findWithOptions(coll, byIds, new FindOptions().setFields(new JsonObject().put(Revision.FIELD, 1))).compose(found -> {
      Map<String, Long> revisions = new HashMap<>();
      found.forEach(document -> revisions.put(MongoJson.hex(document.getValue("_id")), Revision.of(document)));
      Instant updatedTime = Instant.now();
      List<BatchedUpdate> batch = new ArrayList<>();
      for (DocumentUpdate update : updates) {
        Long revision = revisions.get(update.documentId());
        if (revision != null) {
          batch.add(new BatchedUpdate(MongoJson.newId(), update, RevisedUpdate.of(update.update(), revision, updatedTime)));
        }
      }
      if (batch.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      List<JsonObject> pending = batch.stream()
          .map(planned -> pendingRecord(planned.recordId(), coll, planned.documentId(), "update", planned.revised().expect()))
          .toList();
      List<BulkOperation> writes = batch.stream().map(planned -> BulkOperation.createUpdate(planned.filter(), planned.revised().write()))
          .toList();
      // not journaled on their own, as a single pending record (see begin)
      return UnjournaledWrites.insertAll(mongo, COLLECTION, pending)
          .compose(recorded -> mongo.bulkWriteWithOptions(coll, writes, new BulkWriteOptions(false))
              .recover(failure -> settleBatch(coll, batch).compose(v -> Future.failedFuture(failure))))
          .compose(written -> mongo.find(coll, byIds).compose(after -> completeBatch(coll, batch, written.getModifiedCount(), after)));
    });
  }

  /** After the batch's bulk write: ready records for the documents that show their write, the rest removed or retried alone. */
  private Future<List<JsonObject>> completeBatch(String coll, List<BatchedUpdate> batch, long modified, List<JsonObject> after) {
    Map<String, JsonObject> current = new HashMap<>();
    after.forEach(document -> current.put(MongoJson.hex(document.getValue("_id")), document));
    Map<String, JsonObject> ready = new LinkedHashMap<>();
    Map<String, JsonObject> written = new HashMap<>();
    List<String> unwritten = new ArrayList<>();
    List<BatchedUpdate> moved = new ArrayList<>();
    for (BatchedUpdate planned : batch) {
      JsonObject document = current.get(planned.documentId());
      if (document != null && showsWrite(document, planned.revised().expect())) {
        ready.put(planned.recordId(), events.update(planned.recordId(), coll, document, planned.revised().changed(),
            planned.revised().removed()));
        written.put(planned.documentId(), document);
      } else if (document != null && Revision.of(document) != planned.revised().next() - 1) {
        moved.add(planned);
      } else {
        unwritten.add(planned.recordId());
      }
    }
    long overwritten = modified - ready.size();
    List<DocumentUpdate> raced = new ArrayList<>();
    if (overwritten > 0 && overwritten == moved.size()) {
      for (BatchedUpdate planned : moved) {
        JsonObject document = current.get(planned.documentId());
        ready.put(planned.recordId(), events.update(planned.recordId(), coll, document, planned.revised().changed(),
            planned.revised().removed()));
        written.put(planned.documentId(), document);
      }
    } else {
      if (overwritten > 0) {
        LOG.warn("{} of {} batched writes to {} were overwritten by other writers before they were read back; {} documents are retried "
            + "alone", overwritten, batch.size(), coll, moved.size());
      }
      moved.forEach(planned -> {
        unwritten.add(planned.recordId());
        raced.add(planned.update());
      });
    }
    return readyAll(ready).compose(v -> discardAll(unwritten))
        .compose(v -> Future.all(raced.stream().map(update -> updateAtCurrentRevision(coll, update.documentId(),
            update.conditions().copy().put("_id", MongoJson.oid(update.documentId())), update.update(), REVISION_ATTEMPTS)).toList()))
        .map(retried -> {
          for (int i = 0; i < raced.size(); i++) {
            JsonObject document = retried.resultAt(i);
            if (document != null) {
              written.put(raced.get(i).documentId(), document);
            }
          }
          return batch.stream().map(BatchedUpdate::documentId).filter(written::containsKey).map(written::get).toList();
        });
  }

  /** After a failed bulk write, which may have applied some of its updates: each record settled from its document, as at start-up. */
  private Future<Void> settleBatch(String coll, List<BatchedUpdate> batch) {
    return mongo.find(coll, idsIn(batch.stream().map(BatchedUpdate::documentId).toList())).compose(after -> {
      Map<String, JsonObject> current = new HashMap<>();
      after.forEach(document -> current.put(MongoJson.hex(document.getValue("_id")), document));
      Map<String, JsonObject> ready = new LinkedHashMap<>();
      List<String> unwritten = new ArrayList<>();
      for (BatchedUpdate planned : batch) {
        JsonObject document = current.get(planned.documentId());
        if (document != null && showsWrite(document, planned.revised().expect())) {
          ready.put(planned.recordId(), events.update(planned.recordId(), coll, document, planned.revised().changed(),
              planned.revised().removed()));
        } else {
          unwritten.add(planned.recordId());
        }
      }
      return readyAll(ready).compose(v -> discardAll(unwritten));
    }).recover(unsettled -> {
      LOG.warn("{} change records left pending for repair after a failed batch: {}", batch.size(), unsettled.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<JsonObject> delete(String coll, String documentId, JsonObject conditions) {
    JsonObject filter = conditions.copy().put("_id", MongoJson.oid(documentId));
    return serialized(documentId, () -> begin(coll, documentId, "delete", new JsonObject())
        .compose(recordId -> mongo.findOneAndDelete(coll, filter)
            .recover(failure -> settleFailed(recordId, failure).compose(v -> Future.failedFuture(failure)))
            .compose(deleted -> {
              if (deleted == null) {
                return discard(recordId).map((JsonObject) null);
              }
              return ready(recordId, events.delete(recordId, coll, documentId)).map(deleted);
            })));
  }

  /**
   * Settles pending records: all of them at start-up, else those older than {@link #STALE_AFTER}
   * whose document has no write of this process in flight.
   */
  public Future<Integer> repair(boolean all) {
    JsonObject query = new JsonObject().put("state", "pending");
    if (!all) {
      query.put("createdTime", new JsonObject().put("$lt", MongoJson.date(Instant.now().minus(STALE_AFTER))));
    }
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setSort(new JsonObject().put("_id", 1)))
        .compose(pending -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (JsonObject record : pending) {
            if (!all && writeInFlight(record)) {
              continue;
            }
            chain = chain.compose(count -> repairOne(record).map(count + 1));
          }
          return chain;
        })
        .onSuccess(count -> {
          if (count > 0) {
            LOG.info("settled {} pending change record(s)", count);
          }
        });
  }

  /** A slow write of this process is not a crashed one: its record is settled by the write itself. */
  private boolean writeInFlight(JsonObject record) {
    String documentId = MongoJson.hex(record.getJsonObject("documentKey").getValue("_id"));
    synchronized (tails) {
      return tails.containsKey(documentId);
    }
  }

  private Future<Void> repairOne(JsonObject record) {
    String recordId = MongoJson.hex(record.getValue("_id"));
    String coll = record.getString("coll");
    String documentId = MongoJson.hex(record.getJsonObject("documentKey").getValue("_id"));
    JsonObject expect = record.getJsonObject("expect", new JsonObject());
    return mongo.findOne(coll, new JsonObject().put("_id", MongoJson.oid(documentId)), null)
        .compose(current -> {
          JsonObject event = switch (record.getString("operationType")) {
            case "insert" -> current == null ? null : events.insert(recordId, coll, current);
            case "update" -> current != null && showsWrite(current, expect)
                ? events.update(recordId, coll, current, strings(expect.getJsonArray("updatedFields")),
                    strings(expect.getJsonArray("removedFields")))
                : null;
            case "delete" -> current == null ? events.delete(recordId, coll, documentId) : null;
            default -> null;
          };
          return event == null ? discard(recordId) : ready(recordId, event);
        });
  }

  /**
   * Runs this process's writes to one document one after the other, so that the change records
   * (ordered by {@code _id}, taken before the write) are in the order of the writes and each
   * event's {@code fullDocument} is never older than the one before it.
   */
  private <T> Future<T> serialized(String documentId, Supplier<Future<T>> write) {
    synchronized (tails) {
      Future<?> previous = tails.getOrDefault(documentId, Future.succeededFuture());
      Future<T> result = previous.transform(ignored -> write.get());
      tails.put(documentId, result);
      result.onComplete(done -> {
        synchronized (tails) {
          tails.remove(documentId, result);
        }
      });
      return result;
    }
  }

  /** {@link #serialized} for a write of several documents: after this process's writes to any of them, before its next. */
  private <T> Future<T> serializedAll(List<String> documentIds, Supplier<Future<T>> write) {
    synchronized (tails) {
      List<Future<?>> previous = new ArrayList<>();
      documentIds.stream().map(tails::get).filter(Objects::nonNull).forEach(previous::add);
      Future<T> result = Future.join(previous).transform(ignored -> write.get());
      documentIds.forEach(id -> tails.put(id, result));
      result.onComplete(done -> {
        synchronized (tails) {
          documentIds.forEach(id -> tails.remove(id, result));
        }
      });
      return result;
    }
  }

  private Future<String> begin(String coll, String documentId, String operationType, JsonObject expect) {
    String recordId = MongoJson.newId();
    // not journaled on its own: the data write that follows it is, and that makes the record durable too
    return UnjournaledWrites.insert(mongo, COLLECTION, pendingRecord(recordId, coll, documentId, operationType, expect)).map(recordId);
  }

  private static JsonObject pendingRecord(String recordId, String coll, String documentId, String operationType, JsonObject expect) {
    JsonObject record = new JsonObject()
        .put("_id", MongoJson.oid(recordId))
        .put("state", "pending")
        .put("coll", coll)
        .put("documentKey", new JsonObject().put("_id", MongoJson.oid(documentId)))
        .put("operationType", operationType)
        .put("expect", expect)
        .put("createdTime", MongoJson.date(Instant.now()));
    String requestId = RequestIds.current();
    if (requestId != null) {
      record.put("requestId", requestId);
    }
    return record;
  }

  /**
   * Marks the record ready with its event. Not journaled on its own: its data write before it is
   * durable already, and a mark that a crash loses leaves the record pending, which {@link #repair}
   * makes ready from the document, which shows that write: any later write of the document is
   * journaled and so stored this mark first (one journal, in order). Effects still follow only
   * durable changes; a relay that published the record before the crash publishes it again, as
   * after a crash between Kafka's acknowledgement and the record's removal.
   */
  private Future<Void> ready(String recordId, JsonObject event) {
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("state", "ready").put("event", event));
    // not journaled on its own (see above): its data write is durable already
    return UnjournaledWrites.update(mongo, COLLECTION, new JsonObject().put("_id", MongoJson.oid(recordId)), update)
        // published, not sent: every listener hears it (of the relays, only the lease holder acts)
        .onSuccess(done -> vertx.eventBus().publish(RECORDS_READY, null))
        // the data write happened: a record left pending is settled by repair, the caller succeeds
        .recover(failure -> {
          LOG.warn("change record {} left pending: {}", recordId, failure.toString());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  /**
   * After a data write that failed. When the server refused it, nothing was written and the
   * record goes. Any other failure (a lost connection, a timeout) may have come after the server
   * applied the write, so the record is settled from what the document shows, as at start-up;
   * when even that cannot be read, it stays pending for {@link #repair}.
   */
  private Future<Void> settleFailed(String recordId, Throwable failure) {
    if (MongoJson.refusedByServer(failure)) {
      return discard(recordId);
    }
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", MongoJson.oid(recordId)), null)
        .compose(record -> record == null ? Future.<Void>succeededFuture() : repairOne(record))
        .recover(unsettled -> {
          LOG.warn("change record {} left pending for repair after a failed write: {}", recordId, unsettled.toString());
          return Future.succeededFuture();
        });
  }

  private Future<Void> discard(String recordId) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", MongoJson.oid(recordId)))
        .recover(failure -> {
          LOG.warn("could not remove change record {}: {}", recordId, failure.toString());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  /** {@link #ready} of several records in one bulk write. */
  private Future<Void> readyAll(Map<String, JsonObject> eventsByRecord) {
    if (eventsByRecord.isEmpty()) {
      return Future.succeededFuture();
    }
    List<UnjournaledWrites.Update> marks = new ArrayList<>();
    eventsByRecord.forEach((recordId, event) -> marks.add(new UnjournaledWrites.Update(new JsonObject().put("_id", MongoJson.oid(recordId)),
        new JsonObject().put("$set", new JsonObject().put("state", "ready").put("event", event)))));
    // not journaled on its own, as a single ready mark
    return UnjournaledWrites.updateAll(mongo, COLLECTION, marks)
        .onSuccess(done -> vertx.eventBus().publish(RECORDS_READY, null))
        .recover(failure -> {
          LOG.warn("{} change records left pending: {}", eventsByRecord.size(), failure.toString());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  private Future<Void> discardAll(List<String> recordIds) {
    if (recordIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return mongo.removeDocuments(COLLECTION, idsIn(recordIds))
        .recover(failure -> {
          LOG.warn("could not remove {} change records: {}", recordIds.size(), failure.toString());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  private static JsonObject idsIn(List<String> ids) {
    JsonArray oids = new JsonArray();
    ids.forEach(id -> oids.add(MongoJson.oid(id)));
    return new JsonObject().put("_id", new JsonObject().put("$in", oids));
  }

  /**
   * An update with the {@code updatedTime} and next {@link Revision} added to its {@code $set},
   * the top-level fields it changes and removes, and the {@code expect} of its change record.
   */
  private record RevisedUpdate(JsonObject write, long next, Set<String> changed, Set<String> removed, JsonObject expect) {
    static RevisedUpdate of(JsonObject update, long revision, Instant updatedTime) {
      long next = revision + 1;
      JsonObject write = update.copy();
      JsonObject set = write.getJsonObject("$set", new JsonObject());
      set.put("updatedTime", MongoJson.date(updatedTime)).put(Revision.FIELD, next);
      write.put("$set", set);
      Set<String> changed = topLevelFields(write, "$set", "$push", "$pull", "$addToSet", "$inc", "$pop");
      Set<String> removed = topLevelFields(write, "$unset");
      JsonObject expect = new JsonObject()
          .put(Revision.FIELD, next)
          .put("updatedTime", MongoJson.date(updatedTime))
          .put("updatedFields", new JsonArray(new ArrayList<>(changed)))
          .put("removedFields", new JsonArray(new ArrayList<>(removed)));
      return new RevisedUpdate(write, next, changed, removed, expect);
    }
  }

  /** A document's update in a batch, with its change record's id. */
  private record BatchedUpdate(String recordId, DocumentUpdate update, RevisedUpdate revised) {
    String documentId() {
      return update.documentId();
    }

    /** The update's conditions, at the revision read. */
    JsonObject filter() {
      JsonObject byId = update.conditions().copy().put("_id", MongoJson.oid(update.documentId()));
      return new JsonObject().put("$and", new JsonArray().add(byId).add(Revision.is(revised.next() - 1)));
    }
  }

  private static Set<String> topLevelFields(JsonObject update, String... operators) {
    Set<String> fields = new LinkedHashSet<>();
    for (String operator : operators) {
      JsonObject spec = update.getJsonObject(operator);
      if (spec != null) {
        spec.fieldNames().forEach(path -> fields.add(path.split("\\.", 2)[0]));
      }
    }
    return fields;
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }

  /** Whether the document shows the update of a pending record (records written before revisions compare updatedTime). */
  private static boolean showsWrite(JsonObject current, JsonObject expect) {
    if (expect.containsKey(Revision.FIELD)) {
      // and its time: a writer in another process may have taken the revision a crashed write never made
      return Revision.of(current) == expect.getLong(Revision.FIELD)
          && sameInstant(current.getValue("updatedTime"), expect.getValue("updatedTime"));
    }
    return sameInstant(current.getValue("updatedTime"), expect.getValue("updatedTime"));
  }

  private static boolean sameInstant(Object stored, Object expected) {
    Instant a = MongoJson.instant(stored);
    Instant b = MongoJson.instant(expected);
    return a != null && a.equals(b);
  }
}
