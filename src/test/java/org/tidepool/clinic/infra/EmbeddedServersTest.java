package org.tidepool.clinic.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.testing.TopicReader;

/** The embedded servers keep their data across restarts, as the service relies on. */
class EmbeddedServersTest {

  @Test
  void mongoKeepsDocumentsAcrossRestarts(@TempDir Path dir) {
    try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(dir, 0); var client = MongoClients.create(mongo.connectionString())) {
      client.getDatabase("clinic").getCollection("clinics").insertOne(new Document("_id", "c1").append("name", "Kept"));
    }
    try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(dir, 0); var client = MongoClients.create(mongo.connectionString())) {
      MongoCollection<Document> clinics = client.getDatabase("clinic").getCollection("clinics");
      assertEquals("Kept", clinics.find(new Document("_id", "c1")).first().getString("name"));
    }
  }

  @Test
  void kafkaKeepsRecordsAcrossARestartOnTheSamePort(@TempDir Path dir) {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      send(kafka, "before");
      kafka.stop();
      kafka.start();
      send(kafka, "after");
      assertEquals(List.of("before", "after"),
          TopicReader.readAtLeast(kafka.bootstrapServers(), "restart-test", 2).stream().map(TopicReader.Received::value).toList());
    }
  }

  private static void send(EmbeddedKafka kafka, String value) {
    try (var producer = new KafkaProducer<String, String>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      producer.send(new ProducerRecord<>("restart-test", value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("send failed", e);
    }
  }
}
