package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The writes to a published collection (one whose changes go to Kafka): each leaves a change
 * record, and every update raises the document's {@link Revision} and sets its
 * {@code updatedTime}. The domains write through it without knowing how changes are published.
 */
public interface PublishedWrites {
  /** Inserts {@code document} (which carries its {@code _id}); fails as the insert fails. */
  Future<JsonObject> insert(String coll, JsonObject document);

  /**
   * Applies {@code update} to the document {@code documentId} if it also matches
   * {@code conditions}; returns the document after the write, or null when nothing matched.
   */
  Future<JsonObject> update(String coll, String documentId, JsonObject conditions, JsonObject update);

  /** Deletes the document if it also matches {@code conditions}; returns it, or null when nothing matched. */
  Future<JsonObject> delete(String coll, String documentId, JsonObject conditions);
}
