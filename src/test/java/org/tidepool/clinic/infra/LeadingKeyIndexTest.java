package org.tidepool.clinic.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-unique indexes of the embedded store: queries and aggregations naming an index's first key
 * answer exactly as a scan does (the same documents in the same order, sorted or not; the same
 * counts), through inserts, updates, deletes and a reopening of the file. The scan is the same
 * store with the same documents and no non-unique index.
 */
class LeadingKeyIndexTest {
  private static final List<Object> CLINICS = List.of(new ObjectId(), new ObjectId(), new ObjectId(), "c-text", 7, 7.0);

  @Test
  void areOnUnlessThePropertySaysFalse() {
    String before = System.getProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES);
    try {
      System.clearProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES);
      assertThat(CommitBeforeReplyH2Backend.leadingKeyIndexes()).isTrue();
      System.setProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES, "false");
      assertThat(CommitBeforeReplyH2Backend.leadingKeyIndexes()).isFalse();
      System.setProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES, "true");
      assertThat(CommitBeforeReplyH2Backend.leadingKeyIndexes()).isTrue();
    } finally {
      if (before == null) {
        System.clearProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES);
      } else {
        System.setProperty(CommitBeforeReplyH2Backend.LEADING_KEY_INDEXES, before);
      }
    }
  }

  @Test
  void answersAsAScanDoesThroughWritesAndAReopening(@TempDir Path directory, @TempDir Path scanDirectory) {
    try (EmbeddedMongo scanning = EmbeddedMongo.onDisk(scanDirectory, 0); MongoClient scanClient = MongoClients.create(scanning.connectionString())) {
      MongoCollection<Document> expected = scanClient.getDatabase("clinic").getCollection("patients");
      List<Document> documents = documents(new Random(42), 600);
      expected.insertMany(documents.stream().map(Document::new).toList());
      try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
        MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
        createIndexes(patients);
        patients.insertMany(documents.stream().map(Document::new).toList());
        assertSameAnswers(expected, patients);

        ObjectId added = new ObjectId();
        for (MongoCollection<Document> both : List.of(expected, patients)) {
          both.updateMany(Filters.eq("clinicId", CLINICS.get(0)), new Document("$set", new Document("clinicId", CLINICS.get(1))));
          both.updateMany(Filters.eq("tags", "t1"), new Document("$pull", new Document("tags", "t1")));
          both.deleteMany(Filters.eq("clinicId", CLINICS.get(2)));
          both.updateOne(Filters.eq("userId", "u7"), new Document("$set", new Document("clinicId", List.of(CLINICS.get(2), "c-text"))));
          both.insertOne(new Document("_id", added)
              .append("clinicId", new Document("nested", 1)).append("userId", "odd"));
        }
        assertSameAnswers(expected, patients);
      }
      try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
        MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
        createIndexes(patients);
        assertSameAnswers(expected, patients);
      }
    }
  }

  private static void createIndexes(MongoCollection<Document> patients) {
    patients.createIndex(new Document("clinicId", 1).append("fullName", 1));
    patients.createIndex(new Document("clinicId", 1).append("tags", 1));
    patients.createIndex(new Document("userId", 1));
    patients.createIndex(new Document("tags", 1));
    patients.createIndex(new Document("sites.id", 1));
    patients.createIndex(new Document("summary.periods.0.tir", 1));
  }

  private static List<Document> documents(Random random, int count) {
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Document document = new Document("_id", new ObjectId()).append("userId", "u" + i)
          .append("fullName", "Name " + random.nextInt(50)).append("n", random.nextInt(5));
      int kind = random.nextInt(20);
      if (kind > 0) {
        document.append("clinicId", kind == 1 ? List.of(CLINICS.get(0), CLINICS.get(1)) : CLINICS.get(random.nextInt(CLINICS.size())));
      }
      if (random.nextBoolean()) {
        document.append("tags", random.nextBoolean() ? List.of("t1", "t2") : List.of("t" + random.nextInt(4)));
      }
      if (random.nextInt(3) == 0) {
        document.append("sites", List.of(new Document("id", "s" + random.nextInt(3)), new Document("id", "s9")));
      }
      documents.add(document);
    }
    return documents;
  }

  private static void assertSameAnswers(MongoCollection<Document> expected, MongoCollection<Document> actual) {
    List<Bson> filters = new ArrayList<>();
    for (Object clinic : CLINICS) {
      filters.add(Filters.eq("clinicId", clinic));
      filters.add(Filters.and(Filters.eq("clinicId", clinic), Filters.eq("n", 3)));
      filters.add(Filters.and(Filters.eq("clinicId", clinic), Filters.eq("tags", "t2")));
      filters.add(new Document("$and", List.of(new Document("clinicId", clinic), new Document("n", new Document("$gt", 1)))));
      filters.add(Filters.and(Filters.eq("clinicId", clinic), Filters.regex("fullName", "1")));
    }
    filters.add(Filters.in("clinicId", CLINICS.get(0), "c-text", 7L));
    filters.add(Filters.eq("clinicId", 7L));
    filters.add(Filters.eq("clinicId", "nope"));
    filters.add(Filters.eq("userId", "u7"));
    filters.add(Filters.and(Filters.eq("userId", "u8"), Filters.eq("clinicId", CLINICS.get(3))));
    filters.add(Filters.eq("tags", "t1"));
    filters.add(Filters.eq("sites.id", "s9"));
    filters.add(Filters.eq("clinicId", new Document("nested", 1)));
    filters.add(Filters.exists("clinicId", false));
    filters.add(Filters.or(Filters.eq("clinicId", CLINICS.get(0)), Filters.eq("tags", "t3")));
    filters.add(new Document());
    for (Bson filter : filters) {
      assertThat(ids(actual.find(filter))).as("find %s", filter).isEqualTo(ids(expected.find(filter)));
      assertThat(ids(actual.find(filter).sort(Sorts.ascending("fullName")).skip(3).limit(20)))
          .as("sorted page %s", filter).isEqualTo(ids(expected.find(filter).sort(Sorts.ascending("fullName")).skip(3).limit(20)));
      assertThat(actual.countDocuments(filter)).as("count %s", filter).isEqualTo(expected.countDocuments(filter));
      List<Document> pipeline = List.of(new Document("$match", filter.toBsonDocument()),
          new Document("$facet", new Document("page", List.of(new Document("$sort", new Document("fullName", -1).append("_id", 1)),
              new Document("$limit", 5))).append("total", List.of(new Document("$count", "n")))));
      assertThat(actual.aggregate(pipeline).into(new ArrayList<>())).as("aggregate %s", filter)
          .isEqualTo(expected.aggregate(pipeline).into(new ArrayList<>()));
    }
  }

  private static List<Object> ids(Iterable<Document> found) {
    List<Object> ids = new ArrayList<>();
    found.forEach(document -> ids.add(document.get("_id")));
    return ids;
  }

}
