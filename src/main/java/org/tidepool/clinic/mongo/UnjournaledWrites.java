package org.tidepool.clinic.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;

/**
 * Acknowledged writes that need not be journaled on their own ({@code writeConcern {w: 1, j:
 * false}}), for records whose durability a later journaled write of the same server brings (a
 * journaled write makes every write the server applied before it durable too: MongoDB's journal
 * and the embedded store's commit are both in order), or whose loss in a crash a repair makes good
 * (the outbox's ready marks, rebuilt from their durable data writes). The embedded store answers them without
 * waiting for its file (see {@code infra.CommitBeforeReplyH2Backend}); MongoDB without waiting for
 * its journal. vertx-mongo-client has no per-operation {@code j: false}, so they are sent as commands.
 */
public final class UnjournaledWrites {
  /** The write concern of these commands. */
  public static final JsonObject NOT_JOURNALED = new JsonObject().put("w", 1).put("j", false);

  private UnjournaledWrites() {}

  /** Inserts one document. */
  public static Future<Void> insert(MongoClient mongo, String collection, JsonObject document) {
    return write(mongo, "insert", new JsonObject().put("insert", collection).put("documents", new JsonArray().add(document)));
  }

  /**
   * Entries (documents, updates) of one command at most: a command is one BSON document of 16 MB
   * at most, and the entries of a batch carry whole documents (a change record's event has the
   * patient), so a batch of 500 is sent as several commands, one after the other.
   */
  static final int ENTRIES_PER_COMMAND = 50;

  /** Inserts the documents, in their order, {@value #ENTRIES_PER_COMMAND} a command. */
  public static Future<Void> insertAll(MongoClient mongo, String collection, List<JsonObject> documents) {
    JsonArray all = new JsonArray();
    documents.forEach(all::add);
    return writeAll(mongo, "insert", collection, "documents", all);
  }

  /** Applies {@code update} to the document {@code query} matches (one at most). */
  public static Future<Void> update(MongoClient mongo, String collection, JsonObject query, JsonObject update) {
    return updateAll(mongo, collection, List.of(new Update(query, update)));
  }

  /** One update of {@link #updateAll}: the document {@code query} matches (one at most) gets {@code update}. */
  public record Update(JsonObject query, JsonObject update) {}

  /** The updates, in their order, {@value #ENTRIES_PER_COMMAND} a command. */
  public static Future<Void> updateAll(MongoClient mongo, String collection, List<Update> updates) {
    JsonArray all = new JsonArray();
    updates.forEach(each -> all.add(new JsonObject().put("q", each.query()).put("u", each.update())));
    return writeAll(mongo, "update", collection, "updates", all);
  }

  /**
   * Applies {@code update} to the document {@code query} matches, or inserts one made of them when
   * none does; fails as the server refuses it (a duplicate key: its message has {@code E11000},
   * which {@link MongoJson#isDuplicateKey} recognises).
   */
  public static Future<Void> upsert(MongoClient mongo, String collection, JsonObject query, JsonObject update) {
    return write(mongo, "update", new JsonObject().put("update", collection)
        .put("updates", new JsonArray().add(new JsonObject().put("q", query).put("u", update).put("upsert", true))));
  }

  /** Deletes the documents {@code query} matches. */
  public static Future<Void> delete(MongoClient mongo, String collection, JsonObject query) {
    return write(mongo, "delete", new JsonObject().put("delete", collection)
        .put("deletes", new JsonArray().add(new JsonObject().put("q", query).put("limit", 0))));
  }

  /** Replaces (or inserts) each document by its {@code _id}, in their order, {@value #ENTRIES_PER_COMMAND} a command. */
  public static Future<Void> upsertAll(MongoClient mongo, String collection, List<JsonObject> documents) {
    JsonArray updates = new JsonArray();
    documents.forEach(document -> updates.add(new JsonObject().put("q", new JsonObject().put("_id", document.getValue("_id")))
        .put("u", document).put("upsert", true)));
    return writeAll(mongo, "update", collection, "updates", updates);
  }

  /** The entries in commands of {@value #ENTRIES_PER_COMMAND} at most, each sent once the one before succeeded (ordered, as one command would be). */
  private static Future<Void> writeAll(MongoClient mongo, String name, String collection, String field, JsonArray entries) {
    Future<Void> written = Future.succeededFuture();
    for (int from = 0; from < entries.size(); from += ENTRIES_PER_COMMAND) {
      JsonArray part = new JsonArray(new java.util.ArrayList<>(entries.getList().subList(from, Math.min(entries.size(), from + ENTRIES_PER_COMMAND))));
      written = written.compose(done -> write(mongo, name, new JsonObject().put(name, collection).put(field, part)));
    }
    return written;
  }

  private static Future<Void> write(MongoClient mongo, String name, JsonObject command) {
    return mongo.runCommand(name, command.put("ordered", true).put("writeConcern", NOT_JOURNALED)).compose(reply -> {
      JsonArray errors = reply.getJsonArray("writeErrors");
      if (errors != null && !errors.isEmpty()) {
        return Future.failedFuture(new IllegalStateException(name + " refused: " + errors.getJsonObject(0).getString("errmsg")));
      }
      return Future.succeededFuture();
    });
  }
}
