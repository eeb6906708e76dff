package org.tidepool.clinic.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.tidepool.clinic.testing.TopicReader;

/** Patient writes reach {@code <prefix>clinic.patients} and {@code <prefix>clinic.patient_deletions}, summaries left out. */
@ExtendWith(TestStackExtension.class)
class PatientsCdcTest {
  private static TestStack stack;
  private static String prefix;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store,cdc-relay"));
    prefix = stack.namespace().topicPrefix();
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    var request = stack.http().request(method, path).bearerTokenAuthentication(token);
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  private static JsonObject event(TopicReader.Received received) {
    return new JsonObject((String) Json.decodeValue(received.value()));
  }

  @Test
  void patientInsertsUpdatesAndDeletionsArePublishedWithoutSummary() {
    String admin = stack.userToken("abcabcabc1", "cdc.admin@example.org", "Cdc Admin");
    String clinicId = call(HttpMethod.POST, "/v1/clinics", admin, new JsonObject().put("name", "Cdc Clinic")
        .put("preferredBgUnits", "mg/dL")).bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/patients", admin,
        new JsonObject().put("fullName", "Published Pat").put("birthDate", "2001-02-03"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    String userId = created.bodyAsJsonObject().getString("id");
    // a summary copied in (by the platform) is never published
    stack.clinicDb().updateCollection("patients", new JsonObject().put("userId", userId), new JsonObject().put("$set",
        new JsonObject().put("summary", new JsonObject().put("cgmStats", new JsonObject().put("id", "5ummary"))))).await();
    String path = "/v1/clinics/" + clinicId + "/patients/" + userId;
    assertThat(call(HttpMethod.PUT, path, admin, new JsonObject().put("fullName", "Renamed Pat").put("birthDate", "2001-02-03"))
        .statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.DELETE, path, admin, null).statusCode()).isEqualTo(204);

    List<JsonObject> events = TopicReader.readAtLeast(stack.kafkaBrokers(), prefix + "clinic.patients", 3).stream()
        .map(PatientsCdcTest::event).filter(e -> !"dddddddddd".equals(e.getJsonObject("fullDocument", new JsonObject()).getString("userId")))
        .toList();
    JsonObject insert = events.stream().filter(e -> "insert".equals(e.getString("operationType"))).findFirst().orElseThrow();
    assertThat(insert.getJsonObject("fullDocument").getString("userId")).isEqualTo(userId);
    assertThat(insert.getJsonObject("fullDocument").getJsonObject("permissions").fieldNames()).contains("custodian");
    JsonObject update = events.stream().filter(e -> "update".equals(e.getString("operationType"))).findFirst().orElseThrow();
    assertThat(update.getJsonObject("fullDocument").getString("fullName")).isEqualTo("Renamed Pat");
    assertThat(update.getJsonObject("fullDocument").containsKey("summary")).isFalse();
    assertThat(events.stream().map(e -> e.getString("operationType")).toList()).contains("delete");

    JsonObject archived = event(TopicReader.readAtLeast(stack.kafkaBrokers(), prefix + "clinic.patient_deletions", 1).get(0));
    assertThat(archived.getString("operationType")).isEqualTo("insert");
    assertThat(archived.getJsonObject("fullDocument").getJsonObject("patient").getString("userId")).isEqualTo(userId);
    assertThat(archived.getJsonObject("fullDocument").getString("deletedByUserId")).isEqualTo("abcabcabc1");
  }
}
