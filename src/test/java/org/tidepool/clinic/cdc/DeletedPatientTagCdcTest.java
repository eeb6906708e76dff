package org.tidepool.clinic.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.tidepool.clinic.testing.TopicReader;

/**
 * A deleted tag leaves the clinic at once and its patients through change data capture, end to
 * end: the clinic update with {@code lastDeletedPatientTag} goes to Kafka, the consumer strips the
 * tag from every patient of the clinic; the same record delivered again writes nothing.
 */
@ExtendWith(TestStackExtension.class)
class DeletedPatientTagCdcTest {
  private static TestStack stack;
  private static String topic;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store,cdc-relay,cdc-consumer,mail"));
    topic = stack.namespace().topicPrefix() + "clinic.clinics";
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body) {
    var request = stack.http().request(method, path).bearerTokenAuthentication(token);
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> storedPatients(String clinicId) {
    return stack.clinicDb().find("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId))
        .put("fullName", new JsonObject().put("$in", new JsonArray().add("Pat One").add("Pat Two")))).await();
  }

  private static List<String> tags(JsonObject patient) {
    return patient.getJsonArray("tags", new JsonArray()).stream().map(id -> ((JsonObject) id).getString("$oid")).toList();
  }

  @Test
  void theConsumerStripsADeletedTagFromThePatientsAndARedeliveryWritesNothing() {
    String admin = stack.userToken("abcabc0001", "tag.admin@example.org", "Tag Admin");
    String clinicId = ok(call(HttpMethod.POST, "/v1/clinics", admin, new JsonObject().put("name", "Ripple Clinic")
        .put("preferredBgUnits", "mg/dL"))).getString("id");
    String clinicUri = "/v1/clinics/" + clinicId;
    String gone = ok(call(HttpMethod.POST, clinicUri + "/patient_tags", admin, new JsonObject().put("name", "Gone"))).getString("id");
    String stays = ok(call(HttpMethod.POST, clinicUri + "/patient_tags", admin, new JsonObject().put("name", "Stays"))).getString("id");
    for (String name : List.of("Pat One", "Pat Two")) {
      ok(call(HttpMethod.POST, clinicUri + "/patients", admin, new JsonObject().put("fullName", name).put("birthDate", "2001-02-03")
          .put("tags", new JsonArray().add(gone).add(stays))));
    }

    assertThat(call(HttpMethod.DELETE, clinicUri + "/patient_tags/" + gone, admin, null).statusCode()).isEqualTo(204);
    JsonObject clinic = ok(call(HttpMethod.GET, clinicUri, admin, null));
    assertThat(clinic.getJsonArray("patientTags").stream().map(tag -> ((JsonObject) tag).getString("id")).toList()).containsExactly(stays);
    assertThat(clinic.getJsonObject("lastDeletedPatientTag").getString("name")).isEqualTo("Gone");

    List<JsonObject> stripped = Eventually.await(stack.vertx(), "the patients lost the deleted tag", () -> {
      List<JsonObject> patients = storedPatients(clinicId);
      return patients.size() == 2 && patients.stream().allMatch(patient -> tags(patient).equals(List.of(stays))) ? patients : null;
    });
    Map<String, Long> revisions = revisions(stripped);

    // the same change delivered again (a consumer restart before its commit, a dead-letter replay)
    TopicReader.Received deletion = TopicReader.readAtLeast(stack.kafkaBrokers(), topic, 1).stream()
        .filter(record -> new JsonObject((String) Json.decodeValue(record.value())).getJsonObject("updateDescription", new JsonObject())
            .getJsonObject("updatedFields", new JsonObject()).containsKey("lastDeletedPatientTag"))
        .findFirst().orElseThrow();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBrokers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(topic, deletion.key(), deletion.value())).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    // a later change of the same topic (one partition): once its mail is out, the redelivery was handled before it
    String marker = stack.userToken("abcabc0002", "marker.admin@example.org", "Marker Admin");
    ok(call(HttpMethod.POST, "/v1/clinics", marker, new JsonObject().put("name", "Marker Clinic").put("preferredBgUnits", "mg/dL")));
    stack.mailbox().awaitFor("marker.admin@example.org");

    List<JsonObject> after = storedPatients(clinicId);
    assertThat(after).allSatisfy(patient -> assertThat(tags(patient)).containsExactly(stays));
    assertThat(revisions(after)).isEqualTo(revisions);
  }

  private static Map<String, Long> revisions(List<JsonObject> patients) {
    return patients.stream().collect(java.util.stream.Collectors.toMap(patient -> patient.getString("fullName"),
        patient -> patient.getLong("revision", 0L)));
  }
}
