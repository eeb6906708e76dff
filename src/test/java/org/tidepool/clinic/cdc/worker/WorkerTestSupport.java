package org.tidepool.clinic.cdc.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TopicReader;

/** Calls, records and CloudEvents the worker tests share. */
final class WorkerTestSupport {
  private WorkerTestSupport() {}

  static HttpResponse<Buffer> call(TestStack stack, HttpMethod method, String path, String token, JsonObject body) {
    var request = stack.http().request(method, path).bearerTokenAuthentication(token);
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  static String createClinic(TestStack stack, String token, String name) {
    HttpResponse<Buffer> created = call(stack, HttpMethod.POST, "/v1/clinics", token,
        new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL"));
    if (created.statusCode() != 200) {
      throw new AssertionError("clinic not created: " + created.bodyAsString());
    }
    return created.bodyAsJsonObject().getString("id");
  }

  static String createCustodialPatient(TestStack stack, String token, String clinicId, String fullName, String email) {
    JsonObject body = new JsonObject().put("fullName", fullName).put("birthDate", "2012-08-30");
    if (email != null) {
      body.put("email", email);
    }
    HttpResponse<Buffer> created = call(stack, HttpMethod.POST, "/v1/clinics/" + clinicId + "/patients", token, body);
    if (created.statusCode() != 200) {
      throw new AssertionError("patient not created: " + created.bodyAsString());
    }
    return created.bodyAsJsonObject().getString("id");
  }

  static KafkaProducer<String, String> producer(String brokers) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }

  /** A user service event in CloudEvents' binary mode, keyed by the user, as shoreline sends them. */
  static void publishUserEvent(KafkaProducer<String, String> producer, String topic, String userId, String type, JsonObject data) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, userId, data.encode());
    record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(java.util.UUID.randomUUID().toString()))
        .add("ce_source", bytes("shoreline")).add("ce_type", bytes(type)).add("content-type", bytes("application/json"));
    send(producer, record);
  }

  static void send(KafkaProducer<String, String> producer, ProducerRecord<String, String> record) {
    try {
      producer.send(record).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not published to " + record.topic(), e);
    }
  }

  /** The change event of a format-A record. */
  static JsonObject event(TopicReader.Received received) {
    return new JsonObject((String) Json.decodeValue(received.value()));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
