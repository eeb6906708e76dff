package org.tidepool.clinic.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's unique indexes: duplicates refused and documents found by their keys as
 * with mongo-java-server's own index, in files written by that index too (rebuilt on open), and
 * after the file is opened again.
 */
class HashOrderedUniqueIndexTest {

  @Test
  void aFileOfTheOldIndexOrderIsRebuiltAndStillRefusesDuplicates(@TempDir Path directory) {
    String file = directory.resolve("mongo.mv").toString();
    List<ObjectId> ids = new ArrayList<>();
    MVStore oldStore = new MVStore.Builder().fileName(file).open();
    MongoServer oldServer = new MongoServer(new H2Backend(oldStore));
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + oldServer.bind().getPort())) {
      MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
      patients.createIndex(new Document("clinicId", 1).append("userId", 1), new IndexOptions().unique(true));
      for (int i = 0; i < 300; i++) {
        ObjectId id = new ObjectId();
        ids.add(id);
        patients.insertOne(new Document("_id", id).append("clinicId", "c" + i % 3).append("userId", "u" + i));
      }
    } finally {
      oldServer.shutdown();
    }
    assertThat(oldStore.isClosed()).isTrue();

    for (int opening = 0; opening < 2; opening++) {
      try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(directory, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
        MongoCollection<Document> patients = client.getDatabase("clinic").getCollection("patients");
        for (int i = 0; i < 300; i += 7) {
          assertThat(patients.find(new Document("clinicId", "c" + i % 3).append("userId", "u" + i)).first())
              .containsEntry("_id", ids.get(i));
          assertThat(patients.find(new Document("_id", ids.get(i))).first()).containsEntry("userId", "u" + i);
        }
        int taken = 41 + opening;
        assertThatThrownBy(() -> patients.insertOne(new Document("clinicId", "c" + taken % 3).append("userId", "u" + taken)))
            .isInstanceOf(MongoWriteException.class).hasMessageContaining("E11000");
        assertThatThrownBy(() -> patients.insertOne(new Document("_id", ids.get(taken)).append("clinicId", "x").append("userId", "y")))
            .isInstanceOf(MongoWriteException.class).hasMessageContaining("E11000");
        patients.insertOne(new Document("clinicId", "c9").append("userId", "new" + opening));
        assertThat(patients.countDocuments()).isEqualTo(301 + opening);
      }
    }
    MVStore reopened = new MVStore.Builder().fileName(file).readOnly().open();
    try {
      assertThat(reopened.getMapNames()).noneMatch(name -> name.contains("._index_"));
    } finally {
      reopened.close();
    }
  }

  @Test
  void keysCompareEqualExactlyWhenTheirValuesAre() {
    HashOrderedUniqueIndex.KeyOrder order = new HashOrderedUniqueIndex.KeyOrder();
    ObjectId oid = new ObjectId();
    de.bwaldvogel.mongo.bson.ObjectId id = new de.bwaldvogel.mongo.bson.ObjectId(oid.toHexString());
    assertThat(order.compare(new KeyValue(id, "u1"), new KeyValue(new de.bwaldvogel.mongo.bson.ObjectId(oid.toHexString()), "u1"))).isZero();
    assertThat(order.compare(new KeyValue(id, "u1"), new KeyValue(id, "u2"))).isNotZero();
    assertThat(order.compare(new KeyValue(1.0), new KeyValue(1L))).isNotZero();
    assertThat(order.compare(new KeyValue(new de.bwaldvogel.mongo.bson.Document("a", 1.0)), new KeyValue(new de.bwaldvogel.mongo.bson.Document("a", 1.0))))
        .isZero();
    assertThat(order.compare(new KeyValue(new de.bwaldvogel.mongo.bson.Document("a", 1.0)), new KeyValue(new de.bwaldvogel.mongo.bson.Document("a", 2.0))))
        .isNotZero();
    KeyValue plain = new KeyValue("a", 2.0);
    KeyValue serialized = new KeyValue(new de.bwaldvogel.mongo.bson.Document("a", 1.0));
    assertThat(Integer.signum(order.compare(plain, serialized))).isEqualTo(-Integer.signum(order.compare(serialized, plain)));
    assertThat(order.compare(new KeyValue(0.0), new KeyValue(-0.0))).isNotZero();
    int ab = Integer.signum(order.compare(new KeyValue("a"), new KeyValue("b")));
    assertThat(Integer.signum(order.compare(new KeyValue("b"), new KeyValue("a")))).isEqualTo(-ab);
  }
}
