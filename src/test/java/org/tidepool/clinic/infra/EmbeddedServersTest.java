package org.tidepool.clinic.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
      assertEquals(List.of("before", "after"), readAll(kafka, 2));
    }
  }

  private static void send(EmbeddedKafka kafka, String value) {
    try (var producer = new KafkaProducer<String, String>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      producer.send(new ProducerRecord<>("restart-test", value)).get();
    } catch (Exception e) {
      throw new AssertionError("send failed", e);
    }
  }

  private static List<String> readAll(EmbeddedKafka kafka, int expected) {
    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "restart-test",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      consumer.subscribe(List.of("restart-test"));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
