package org.tidepool.clinic.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.bson.Document;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which commands wait for a commit before their answer (the kill -9 tests show that it holds), and
 * what a write that declines the journal may lose.
 */
class CommitBeforeReplyH2BackendTest {

  @Test
  void writesAndUnknownCommandsCommitReadsDoNot() {
    for (String write : List.of("insert", "update", "delete", "findAndModify", "createIndexes", "dropIndexes", "drop",
        "create", "renameCollection", "someFutureCommand")) {
      assertTrue(CommitBeforeReplyH2Backend.mayWrite(write, new Document()), write);
    }
    for (String read : List.of("find", "getMore", "count", "distinct", "listIndexes", "ping", "hello", "isMaster", "endSessions")) {
      assertFalse(CommitBeforeReplyH2Backend.mayWrite(read, new Document()), read);
    }
  }

  @Test
  void aWriteThatDeclinesTheJournalDoesNotWaitButTheNextJournaledWriteStoresIt(@TempDir Path directory) {
    String file = directory.resolve("mongo.mv").toString();
    // no background store: only the backend's commits reach the file
    MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
    MongoServer server = new MongoServer(new CommitBeforeReplyH2Backend(store, false));
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort())) {
      MongoDatabase database = client.getDatabase("clinic");
      database.runCommand(new org.bson.Document("insert", "records").append("documents", List.of(new org.bson.Document("_id", "lost")))
          .append("writeConcern", new org.bson.Document("w", 1).append("j", false)));
      crash(store);
    } finally {
      server.shutdownNow();
    }
    assertEquals(List.of(), ids(file));

    store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
    server = new MongoServer(new CommitBeforeReplyH2Backend(store, false));
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort())) {
      MongoDatabase database = client.getDatabase("clinic");
      database.runCommand(new org.bson.Document("insert", "records").append("documents", List.of(new org.bson.Document("_id", "pending")))
          .append("writeConcern", new org.bson.Document("w", 1).append("j", false)));
      database.getCollection("records").insertOne(new org.bson.Document("_id", "data"));
      crash(store);
    } finally {
      server.shutdownNow();
    }
    assertEquals(List.of("data", "pending"), ids(file));
  }

  @Test
  void onlyAFalseJournalFlagDeclinesIt() {
    assertTrue(CommitBeforeReplyH2Backend.journalDeclined(new Document("writeConcern", new Document("w", 1).append("j", false))));
    assertFalse(CommitBeforeReplyH2Backend.journalDeclined(new Document("writeConcern", new Document("w", 1).append("j", true))));
    assertFalse(CommitBeforeReplyH2Backend.journalDeclined(new Document("writeConcern", new Document("w", 1))));
    assertFalse(CommitBeforeReplyH2Backend.journalDeclined(new Document()));
  }

  /** The process dies: nothing more is stored. */
  private static void crash(MVStore store) {
    store.closeImmediately();
  }

  /** The ids of the collection {@code records} in the file, sorted, read as the next process would. */
  private static List<String> ids(String file) {
    MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
    MongoServer server = new MongoServer(new CommitBeforeReplyH2Backend(store, false));
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort())) {
      List<String> ids = new java.util.ArrayList<>();
      client.getDatabase("clinic").getCollection("records").find().forEach(document -> ids.add(document.getString("_id")));
      java.util.Collections.sort(ids);
      return ids;
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void anAggregationCommitsOnlyWhenItWritesACollection() {
    Document reading = new Document("pipeline", List.of(new Document("$match", new Document("a", 1))));
    Document writing = new Document("pipeline", List.of(new Document("$match", new Document()), new Document("$out", "copy")));
    Document merging = new Document("pipeline", List.of(new Document("$merge", new Document("into", "copy"))));

    assertFalse(CommitBeforeReplyH2Backend.mayWrite("aggregate", reading));
    assertTrue(CommitBeforeReplyH2Backend.mayWrite("aggregate", writing));
    assertTrue(CommitBeforeReplyH2Backend.mayWrite("aggregate", merging));
  }
}
