package org.tidepool.clinic.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which commands wait for a commit before their answer (the kill -9 tests show that it holds). */
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
  void anAggregationCommitsOnlyWhenItWritesACollection() {
    Document reading = new Document("pipeline", List.of(new Document("$match", new Document("a", 1))));
    Document writing = new Document("pipeline", List.of(new Document("$match", new Document()), new Document("$out", "copy")));
    Document merging = new Document("pipeline", List.of(new Document("$merge", new Document("into", "copy"))));

    assertFalse(CommitBeforeReplyH2Backend.mayWrite("aggregate", reading));
    assertTrue(CommitBeforeReplyH2Backend.mayWrite("aggregate", writing));
    assertTrue(CommitBeforeReplyH2Backend.mayWrite("aggregate", merging));
  }
}
