package org.tidepool.clinic.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries that name a unique index's keys and more: the embedded store answers them through the
 * index, with the same results as a scan, also after the store's file is opened again.
 */
class KeyLookupH2CollectionTest {

  @Test
  void queriesNamingAUniqueIndexAndMoreMatchTheWholeQuery(@TempDir Path directory) {
    ObjectId first = new ObjectId();
    ObjectId second = new ObjectId();
    try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
      MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
      patients.createIndex(new Document("clinicId", 1).append("userId", 1), new IndexOptions().unique(true));
      patients.insertOne(new Document("_id", first).append("clinicId", "c1").append("userId", "u1").append("mrn", "A"));
      patients.insertOne(new Document("_id", second).append("clinicId", "c1").append("userId", "u2").append("mrn", "B").append("revision", 3));
      assertAnswers(patients, first, second);
    }
    // opened again: the collections of an existing file look up by their indexes too
    try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
      assertAnswers(client.getDatabase("clinic").getCollection("patients"), first, second);
    }
  }

  private static void assertAnswers(MongoCollection<Document> patients, ObjectId first, ObjectId second) {
    assertThat(ids(patients.find(new Document("_id", second).append("revision", 3)))).containsExactly(second);
    assertThat(ids(patients.find(new Document("_id", second).append("revision", 2)))).isEmpty();
    assertThat(ids(patients.find(new Document("_id", first).append("revision", new Document("$exists", false))))).containsExactly(first);
    assertThat(ids(patients.find(new Document("_id", second).append("revision", new Document("$exists", false))))).isEmpty();
    assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", "u1").append("mrn", "A")))).containsExactly(first);
    assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", "u1").append("mrn", "B")))).isEmpty();
    assertThat(ids(patients.find(new Document("clinicId", "c1").append("mrn", "B")))).containsExactly(second);
    assertThat(ids(patients.find(new Document("clinicId", "c1")).sort(Sorts.descending("userId")))).containsExactly(second, first);
    // one key by an $in of values: each value looked up, the answers in the order of a scan
    assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", new Document("$in", List.of("u2", "u9", "u1"))))))
        .containsExactly(first, second);
    assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", new Document("$in", List.of("u1", "u2")))
        .append("mrn", "B")))).containsExactly(second);
    assertThat(ids(patients.find(new Document("clinicId", "c2").append("userId", new Document("$in", List.of("u1", "u2")))))).isEmpty();

    // conditions joined by $and, as the outbox sends them
    assertThat(ids(patients.find(new Document("$and", List.of(new Document("_id", second), new Document("revision", 3))))))
        .containsExactly(second);
    assertThat(ids(patients.find(new Document("$and", List.of(new Document("_id", second), new Document("revision", 2)))))).isEmpty();
    assertThat(ids(patients.find(new Document("$and", List.of(new Document("_id", first),
        new Document("revision", new Document("$exists", false))))))).containsExactly(first);
    // a conditional write applies only at the revision it names
    assertThat(patients.updateOne(new Document("_id", second).append("revision", 2), new Document("$set", new Document("mrn", "X")))
        .getMatchedCount()).isZero();
    assertThat(patients.updateOne(new Document("_id", second).append("revision", 3),
        new Document("$set", new Document("mrn", "C")).append("$inc", new Document("revision", 1))).getMatchedCount()).isEqualTo(1);
    assertThat(patients.find(new Document("_id", second)).first()).containsEntry("mrn", "C").containsEntry("revision", 4);
    patients.updateOne(new Document("_id", second), new Document("$set", new Document("mrn", "B").append("revision", 3)));
  }

  /** The unique indexes (HashOrderedUniqueIndex) stay exact through removals, re-inserts and refusals. */
  @Test
  void aKeyRemovedAndTakenAgainPointsAtItsNewDocument(@TempDir Path directory) {
    ObjectId first = new ObjectId();
    ObjectId second = new ObjectId();
    try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
      MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
      patients.createIndex(new Document("clinicId", 1).append("userId", 1), new IndexOptions().unique(true));
      patients.insertOne(new Document("_id", first).append("clinicId", "c1").append("userId", "u1"));
      assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", "u1").append("_id", first)))).containsExactly(first);
      patients.deleteOne(new Document("_id", first));
      assertThat(ids(patients.find(new Document("_id", first)))).isEmpty();
      patients.insertOne(new Document("_id", second).append("clinicId", "c1").append("userId", "u1"));
      assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", "u1").append("mrn", null)))).containsExactly(second);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> patients.insertOne(new Document("clinicId", "c1").append("userId", "u1")))
          .hasMessageContaining("duplicate key");
      patients.updateOne(new Document("_id", second), new Document("$set", new Document("userId", "u2")));
      assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", "u1").append("mrn", null)))).isEmpty();
      assertThat(ids(patients.find(new Document("clinicId", "c1").append("userId", "u2").append("mrn", null)))).containsExactly(second);
    }
  }

  private static List<ObjectId> ids(Iterable<Document> found) {
    List<ObjectId> ids = new ArrayList<>();
    found.forEach(document -> ids.add(document.getObjectId("_id")));
    return ids;
  }
}
