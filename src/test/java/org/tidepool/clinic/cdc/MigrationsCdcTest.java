package org.tidepool.clinic.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
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

/**
 * A migration's insert (what starts the migration worker) and its updates reach
 * {@code <prefix>clinic.migrations} as the source connector publishes them (format A: the
 * change event as a JSON string, the clinic id an {@code $oid}).
 */
@ExtendWith(TestStackExtension.class)
class MigrationsCdcTest {
  private static TestStack stack;
  private static String topic;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store,cdc-relay"));
    topic = stack.namespace().topicPrefix() + "clinic.migrations";
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    var request = stack.http().request(method, path).bearerTokenAuthentication(token);
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 299);
    return response.bodyAsJsonObject();
  }

  @Test
  void aMigrationsInsertAndUpdatesArePublishedInTheConnectorsFormat() {
    String admin = stack.userToken("cdcadmin01", "cdc.migration.admin@example.org", "Cdc Admin");
    String clinicId = ok(call(HttpMethod.POST, "/v1/clinics", admin, new JsonObject().put("name", "Cdc Migration Clinic")
        .put("preferredBgUnits", "mg/dL"))).getString("id");
    String legacy = "cdc1e9ac01";
    stack.platformDb().save("users", new JsonObject().put("_id", legacy).put("email", "cdc.legacy@example.org")
        .put("roles", new JsonArray().add("clinic"))).await();
    String server = stack.serverToken();
    ok(call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/clinicians", server, new JsonObject().put("email", "cdc.legacy@example.org")
        .put("roles", new JsonArray().add("CLINIC_MEMBER")).put("inviteId", "cdc-invite")));
    ok(call(HttpMethod.PATCH, "/v1/clinics/" + clinicId + "/invites/clinicians/cdc-invite/clinician", server,
        new JsonObject().put("userId", legacy)));
    ok(call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/migrations", server, new JsonObject().put("userId", legacy)));
    ok(call(HttpMethod.PATCH, "/v1/clinics/" + clinicId + "/migrations/" + legacy, server, new JsonObject().put("status", "RUNNING")
        .put("progress", new JsonObject().put("patientsTotal", 2).put("patientsMigrated", 0).put("patientsSkipped", 0))));

    List<TopicReader.Received> received = TopicReader.readAtLeast(stack.kafkaBrokers(), topic, 2);
    List<JsonObject> events = received.stream().map(record -> new JsonObject((String) Json.decodeValue(record.value()))).toList();
    JsonObject insert = events.get(0);
    assertThat(insert.getString("operationType")).isEqualTo("insert");
    assertThat(insert.getJsonObject("ns")).isEqualTo(new JsonObject().put("db", stack.namespace().clinicDatabase()).put("coll", "migrations"));
    JsonObject document = insert.getJsonObject("fullDocument");
    assertThat(document.getString("userId")).isEqualTo(legacy);
    assertThat(document.getString("status")).isEqualTo("PENDING");
    assertThat(document.getJsonObject("clinicId")).isEqualTo(new JsonObject().put("$oid", clinicId));
    assertThat(document.getJsonObject("createdTime").getValue("$date")).as("STRICT dates: epoch ms").isInstanceOf(Number.class);
    assertThat(insert.getJsonObject("documentKey").getJsonObject("_id").getString("$oid")).isNotBlank();

    JsonObject update = events.get(1);
    assertThat(update.getString("operationType")).isEqualTo("update");
    assertThat(update.getJsonObject("updateDescription").getJsonObject("updatedFields").getString("status")).isEqualTo("RUNNING");
    assertThat(update.getJsonObject("fullDocument").getJsonObject("progress").getInteger("patientsTotal")).isEqualTo(2);
  }
}
