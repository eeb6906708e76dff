package org.tidepool.clinic.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries with {@code {$regex, $options}} conditions, which the H2 store matches with expressions
 * compiled once ({@link CompiledRegexQuery}): the same finds, counts and aggregations as
 * mongo-java-server's own in-memory backend, which matches them as sent.
 */
class CompiledRegexQueryTest {
  @BeforeAll
  static void turnTheIndexesOn() {
    System.setProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES, "true");
  }

  @AfterAll
  static void turnTheIndexesOff() {
    System.clearProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES);
  }

  @Test
  void matchesAsTheRegexDocumentsDo(@TempDir Path directory) {
    try (EmbeddedMongo memory = EmbeddedMongo.inMemory(); MongoClient reference = MongoClients.create(memory.connectionString());
         EmbeddedMongo h2 = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(h2.connectionString())) {
      MongoCollection<Document> expected = reference.getDatabase("clinic").getCollection("patients");
      MongoCollection<Document> actual = client.getDatabase("clinic").getCollection("patients");
      actual.createIndex(new Document("clinicId", 1).append("key", 1).append("_id", 1));
      List<Document> documents = new ArrayList<>();
      String[] names = {"García", "garcia", "GARCÍA Ñúñez", "Mc.Garc", "a+b", "line\nGarc", "x"};
      for (int i = 0; i < 70; i++) {
        Document document = new Document("_id", i).append("clinicId", "c" + (i % 2)).append("key", names[i % names.length] + i);
        if (i % 3 == 0) {
          document.append("email", List.of("garc" + i + "@x.test", "other@x.test"));
        }
        if (i % 5 == 0) {
          document.append("mrn", i);
        }
        documents.add(document);
      }
      expected.insertMany(documents);
      actual.insertMany(documents.stream().map(Document::new).toList());
      List<Bson> filters = List.of(
          new Document("key", regex("garc", "i")),
          new Document("key", regex("garc", null)),
          new Document("key", regex("GARCÍA", "i")),
          new Document("key", regex("^garc", "im")),
          new Document("key", regex("\\Qa+b\\E", "")),
          new Document("mrn", regex("5", "i")),
          new Document("email", regex("garc3", "i")),
          new Document("clinicId", "c1").append("$and", List.of(new Document("$or", List.of(
              new Document("key", regex("garc", "i")), new Document("email", regex("garc", "i")), new Document("mrn", regex("0$", "")))))),
          new Document("$nor", List.of(new Document("key", regex("x", "i")))),
          new Document("key", new Document("$not", regex("garc", "i"))),
          new Document("key", new Document("$regex", "garc").append("$options", "i").append("$exists", true)),
          new Document("key", new Document("$in", List.of("x0", "x6"))));
      for (Bson filter : filters) {
        assertThat(ids(actual.find(filter).sort(new Document("key", 1).append("_id", 1)).limit(7)))
            .as("find %s", filter).isEqualTo(ids(expected.find(filter).sort(new Document("key", 1).append("_id", 1)).limit(7)));
        assertThat(ids(actual.find(filter))).as("find %s", filter).isEqualTo(ids(expected.find(filter)));
        assertThat(actual.countDocuments(filter)).as("count %s", filter).isEqualTo(expected.countDocuments(filter));
        List<Document> pipeline = List.of(new Document("$match", filter.toBsonDocument()), new Document("$sort", new Document("_id", -1)));
        assertThat(ids(actual.aggregate(pipeline))).as("aggregate %s", filter).isEqualTo(ids(expected.aggregate(pipeline)));
      }
    }
  }

  private static Document regex(String pattern, String options) {
    Document regex = new Document("$regex", pattern);
    return options == null ? regex : regex.append("$options", options);
  }

  private static List<Object> ids(Iterable<Document> found) {
    List<Object> ids = new ArrayList<>();
    found.forEach(document -> ids.add(document.get("_id")));
    return ids;
  }
}
