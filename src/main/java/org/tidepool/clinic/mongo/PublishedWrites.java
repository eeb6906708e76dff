package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The writes to a published collection (one whose changes go to Kafka): each leaves a change
 * record, and every update raises the document's {@link Revision} and sets its
 * {@code updatedTime}. The domains write through it without knowing how changes are published.
 */
public interface PublishedWrites {
  /** Inserts {@code document} (which carries its {@code _id}); fails as the insert fails. */
  Future<JsonObject> insert(String coll, JsonObject document);

  /**
   * {@link #insert} of each document, written together: one change record per document inserted,
   * as if each were inserted alone, at the cost of a few round trips for the whole list. The
   * documents must carry distinct {@code _id}s. Returns, in the order given, null for each
   * document inserted and the failure of each one that was not (as {@link #insert} fails).
   */
  Future<List<Throwable>> insertEach(String coll, List<JsonObject> documents);

  /**
   * Applies {@code update} to the document {@code documentId} if it also matches
   * {@code conditions}; returns the document after the write, or null when nothing matched.
   */
  Future<JsonObject> update(String coll, String documentId, JsonObject conditions, JsonObject update);

  /**
   * {@link #update} of each document, written together: one change record per document written,
   * as if each were updated alone, at the cost of a few round trips for the whole list. The
   * documents must be distinct. Returns the documents after their write, of those written (in the
   * order given); a document whose conditions do not hold is not written and has no change.
   */
  Future<List<JsonObject>> updateEach(String coll, List<DocumentUpdate> updates);

  /** One document's conditional update of {@link #updateEach}. */
  record DocumentUpdate(String documentId, JsonObject conditions, JsonObject update) {}

  /** Deletes the document if it also matches {@code conditions}; returns it, or null when nothing matched. */
  Future<JsonObject> delete(String coll, String documentId, JsonObject conditions);
}
