package org.tidepool.clinic.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.backend.IndexKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sorted pages walked in a compound index's order, counts answered by the postings and counts
 * kept until the next write ({@link LeadingKeyOrder}, {@link CountAggregation}, {@link CountMemo}):
 * the same answers, asked once or twice, as a scan of the same
 * documents in a store without non-unique indexes, for more clinics than the orders kept, through
 * inserts, updates (of the sort keys and of the clinic), deletes, documents whose values the
 * order cannot hold, and a reopening of the file.
 */
class LeadingKeyOrderTest {
  private static final int CLINICS = LeadingKeyOrder.MAX_VALUES + 2;

  @BeforeAll
  static void turnTheIndexesOn() {
    System.setProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES, "true");
  }

  @AfterAll
  static void turnTheIndexesOff() {
    System.clearProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES);
  }

  @Test
  void sortedPagesAndCountsAnswerAsAScanDoes(@TempDir Path directory, @TempDir Path scanDirectory) {
    List<Object> clinics = new ArrayList<>();
    for (int i = 0; i < CLINICS; i++) {
      clinics.add(i % 5 == 4 ? "clinic-" + i : new ObjectId());
    }
    Random random = new Random(7);
    try (EmbeddedMongo scanning = EmbeddedMongo.onDisk(scanDirectory, 0); MongoClient scanClient = MongoClients.create(scanning.connectionString())) {
      MongoCollection<Document> expected = scanClient.getDatabase("clinic").getCollection("patients");
      List<Document> documents = new ArrayList<>();
      for (int i = 0; i < 700; i++) {
        documents.add(document(random, clinics.get(random.nextInt(clinics.size())), i));
      }
      expected.insertMany(documents.stream().map(Document::new).toList());
      try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
        MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
        createIndexes(patients);
        patients.insertMany(documents.stream().map(Document::new).toList());
        assertSameAnswers(expected, patients, clinics);

        Random writes = new Random(11);
        List<Document> added = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          added.add(document(writes, clinics.get(writes.nextInt(3)), 10_000 + i));
        }
        for (MongoCollection<Document> both : List.of(expected, patients)) {
          both.updateMany(Filters.eq("n", 3), new Document("$set", new Document("key", "aaa")));
          both.updateMany(Filters.eq("clinicId", clinics.get(1)), new Document("$set", new Document("clinicId", clinics.get(2))));
          both.deleteMany(Filters.eq("n", 4));
          both.updateMany(Filters.eq("n", 2), new Document("$unset", new Document("key", "")));
          added.forEach(document -> both.insertOne(new Document(document)));
          both.findOneAndUpdate(Filters.eq("userId", "u5"), new Document("$set", new Document("clinicId", clinics.get(3))));
          both.replaceOne(Filters.eq("userId", "u6"), new Document("clinicId", clinics.get(3)).append("key", "k1").append("n", 1));
          both.insertMany(List.of(new Document(added.get(0)).append("_id", "extra-" + added.get(0).get("userId"))));
        }
        assertSameAnswers(expected, patients, clinics);

        // values the order cannot hold (an array, a sub-document) for one clinic, a clinic of no key: then taken away
        ObjectId odd = new ObjectId();
        ObjectId unkeyed = new ObjectId();
        for (MongoCollection<Document> both : List.of(expected, patients)) {
          both.insertOne(new Document("_id", odd).append("clinicId", clinics.get(0)).append("key", List.of("b", "a")).append("n", 1));
          both.insertOne(new Document("_id", unkeyed).append("clinicId", new Document("nested", 1)).append("key", "k").append("n", 1));
        }
        assertSameAnswers(expected, patients, clinics);
        for (MongoCollection<Document> both : List.of(expected, patients)) {
          both.deleteOne(Filters.eq("_id", unkeyed));
          both.updateOne(Filters.eq("_id", odd), new Document("$set", new Document("key", new Document("x", 1))));
        }
        assertSameAnswers(expected, patients, clinics);
        for (MongoCollection<Document> both : List.of(expected, patients)) {
          both.updateOne(Filters.eq("_id", odd), new Document("$set", new Document("key", "b")));
        }
        assertSameAnswers(expected, patients, clinics);
      }
      try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
        MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
        createIndexes(patients);
        assertSameAnswers(expected, patients, clinics);
      }
    }
  }

  /** A count kept for a filter the postings do not answer is asked again after each kind of write: it is the new count. */
  @Test
  void aCountKeptIsTheNewCountAfterEveryKindOfWrite(@TempDir Path directory) {
    try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
      MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
      createIndexes(patients);
      Bson filter = Filters.and(Filters.eq("clinicId", "c"), new Document("key", new Document("$regex", "^k").append("$options", "i")));
      List<Runnable> writes = List.of(
          () -> patients.insertOne(new Document("_id", 1).append("clinicId", "c").append("key", "k1")),
          () -> patients.insertMany(List.of(new Document("_id", 2).append("clinicId", "c").append("key", "K2"),
              new Document("_id", 3).append("clinicId", "c").append("key", "k3"))),
          () -> patients.updateOne(Filters.eq("_id", 1), new Document("$set", new Document("key", "x"))),
          () -> patients.updateMany(Filters.eq("clinicId", "c"), new Document("$set", new Document("key", "k"))),
          () -> patients.replaceOne(Filters.eq("_id", 2), new Document("clinicId", "c").append("key", "y")),
          () -> patients.findOneAndUpdate(Filters.eq("_id", 3), new Document("$set", new Document("clinicId", "d"))),
          () -> patients.findOneAndDelete(Filters.eq("_id", 1)),
          () -> patients.updateOne(Filters.eq("_id", 9), new Document("$set", new Document("clinicId", "c").append("key", "k9")),
              new com.mongodb.client.model.UpdateOptions().upsert(true)),
          () -> patients.deleteOne(Filters.eq("_id", 9)),
          () -> patients.insertOne(new Document("_id", 4).append("clinicId", "c").append("key", "k4")),
          () -> patients.deleteMany(Filters.eq("clinicId", "c")));
      List<Long> counts = new ArrayList<>();
      for (Runnable write : writes) {
        patients.countDocuments(filter);
        write.run();
        counts.add(patients.countDocuments(filter));
      }
      assertThat(counts).containsExactly(1L, 3L, 2L, 3L, 2L, 1L, 0L, 1L, 0L, 1L, 0L);
    }
  }

  /** The walk reads documents until the page is full, and keeps no more than its bound of values. */
  @Test
  void aWalkStopsAtThePageAndTheOrdersKeptAreBounded() {
    LeadingKeyOrder order = new LeadingKeyOrder(List.of(new IndexKey("clinicId", true), new IndexKey("key", true),
        new IndexKey("_id", true)));
    List<de.bwaldvogel.mongo.bson.Document> stored = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      stored.add(new de.bwaldvogel.mongo.bson.Document("_id", i).append("clinicId", "c").append("key", String.format("%03d", 99 - i)));
    }
    int[] reads = {0};
    List<Object> visited = new ArrayList<>();
    assertThat(order.walk("c", true, () -> List.copyOf(stored.stream().map(d -> d.get("_id")).toList()), position -> {
      reads[0]++;
      return stored.get((Integer) position);
    }, position -> {
      visited.add(position);
      return visited.size() < 3;
    })).isTrue();
    assertThat(visited).containsExactly(99, 98, 97);
    assertThat(reads[0]).isEqualTo(100);
    visited.clear();
    order.walk("c", false, List::of, position -> {
      reads[0]++;
      return null;
    }, position -> visited.add(position) && visited.size() < 2);
    assertThat(visited).containsExactly(0, 1);
    assertThat(reads[0]).as("built once").isEqualTo(100);

    for (int i = 0; i < LeadingKeyOrder.MAX_VALUES + 5; i++) {
      order.walk("other" + i, true, List::of, position -> null, position -> true);
    }
    assertThat(order.values()).isEqualTo(LeadingKeyOrder.MAX_VALUES);
  }

  private static Document document(Random random, Object clinic, int i) {
    Document document = new Document("_id", new ObjectId()).append("clinicId", clinic).append("n", random.nextInt(5))
        .append("userId", "u" + i);
    int kind = random.nextInt(10);
    if (kind < 7) {
      document.append("key", "k" + random.nextInt(40));
    } else if (kind == 7) {
      document.append("key", random.nextInt(3));
    } else if (kind == 8) {
      document.append("key", null);
    }
    if (random.nextBoolean()) {
      document.append("stats", new Document("has", random.nextBoolean()).append("value", random.nextInt(4) * 0.25)
          .append("when", new Date(1_700_000_000_000L + random.nextInt(5) * 1000L)));
    }
    return document;
  }

  private static void createIndexes(MongoCollection<Document> patients) {
    patients.createIndex(new Document("clinicId", 1).append("key", 1).append("_id", 1));
    patients.createIndex(new Document("clinicId", 1).append("stats.has", -1).append("stats.value", -1).append("_id", 1));
    patients.createIndex(new Document("clinicId", 1).append("stats.when", 1));
    patients.createIndex(new Document("clinicId", 1).append("n", 1));
  }

  private static void assertSameAnswers(MongoCollection<Document> expected, MongoCollection<Document> actual, List<Object> clinics) {
    List<Document> sorts = List.of(
        new Document("key", 1).append("_id", 1),
        new Document("key", -1).append("_id", -1),
        new Document("key", -1).append("_id", 1),
        new Document("stats.has", -1).append("stats.value", -1).append("_id", 1),
        new Document("stats.when", 1));
    List<Object> values = new ArrayList<>(clinics);
    values.add("nope");
    values.add(new Document("nested", 1));
    for (Object clinic : values) {
      List<Bson> filters = List.of(
          Filters.eq("clinicId", clinic),
          new Document("clinicId", new Document("$eq", clinic)),
          Filters.and(Filters.eq("clinicId", clinic), Filters.regex("key", "1")),
          new Document("clinicId", clinic).append("$and", List.of(new Document("$or", List.of(new Document("n", 1),
              new Document("key", "k3"))))));
      for (Bson filter : filters) {
        long count = expected.countDocuments(filter);
        assertThat(actual.countDocuments(filter)).as("count %s", filter).isEqualTo(count);
        assertThat(actual.countDocuments(filter)).as("count again %s", filter).isEqualTo(count);
        for (Document sort : sorts) {
          for (int[] page : new int[][] {{0, 10}, {40, 20}}) {
            assertThat(ids(actual.find(filter).sort(sort).skip(page[0]).limit(page[1])))
                .as("%s sorted %s page %s+%s", filter, sort.toJson(), page[0], page[1])
                .isEqualTo(ids(expected.find(filter).sort(sort).skip(page[0]).limit(page[1])));
          }
        }
      }
    }
  }

  private static List<Object> ids(Iterable<Document> found) {
    List<Object> ids = new ArrayList<>();
    found.forEach(document -> ids.add(document.get("_id")));
    return ids;
  }
}
