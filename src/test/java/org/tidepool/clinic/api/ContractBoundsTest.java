package org.tidepool.clinic.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.testing.HttpAssertions.assertError;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.api.ContractDocument.ContractOperation;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.cdc.relay.StrictJson;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.TestStack;

/**
 * What the API accepts is bounded (issue 5, part 3): every string and array a request can carry
 * has a bound in the contract, the default body limit holds the largest valid body however a
 * client encodes it, and that body's change event fits Kafka's message limit.
 */
class ContractBoundsTest {
  /** Kafka's default {@code max.message.bytes} (and the producer's {@code max.request.size}). */
  static final int KAFKA_MESSAGE_LIMIT = 1_048_588;
  static final String ANN = "abcdef0123";

  static ContractDocument contract;
  static SchemaInstances instances;
  static TestStack stack;
  static String annToken;
  static String clinicId;

  @BeforeAll
  static void start() {
    contract = ContractDocument.load();
    instances = new SchemaInstances(contract);
    stack = TestStack.start(new JsonObject().put("ROLES", "api,store"));
    annToken = stack.userToken(ANN, "ann@example.org", "Ann Smith");
    HttpResponse<Buffer> created = Await.result(stack.http().post("/v1/clinics").bearerTokenAuthentication(annToken)
        .sendJson(new JsonObject().put("name", "Bounded Clinic").put("preferredBgUnits", "mg/dL")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    clinicId = created.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyStringAndArrayARequestCanCarryIsBounded() {
    List<String> unbounded = new ArrayList<>();
    for (ContractOperation operation : contract.operations()) {
      for (JsonObject parameter : operation.parameters()) {
        collectUnbounded(parameter.getJsonObject("schema"), operation + " parameter " + parameter.getString("name"), unbounded,
            new IdentityHashMap<>());
      }
      if (operation.bodySchema() != null) {
        collectUnbounded(operation.bodySchema(), operation + " body", unbounded, new IdentityHashMap<>());
      }
    }
    assertThat(unbounded).as("strings need maxLength (or enum, or date-time); arrays need maxItems").isEmpty();
  }

  @Test
  void theDefaultBodyLimitHoldsTheLargestValidBodyOfEveryOperationInAnyEncoding() {
    long limit = ApiConfig.from(new Settings(stack.app().config())).bodyLimitBytes();
    assertThat(limit).as("the body limit, far below Kafka's message limit").isLessThanOrEqualTo(KAFKA_MESSAGE_LIMIT / 4);
    for (ContractOperation operation : contract.operations()) {
      if (operation.bodySchema() == null) {
        continue;
      }
      // a JSON object, or an array (UpdatePatientDataSources)
      String largest = io.vertx.core.json.Json.encode(instances.largest(operation.bodySchema(), 0));
      int utf8 = largest.getBytes(StandardCharsets.UTF_8).length;
      int asciiEscaped = asciiEscaped(largest).length();
      System.out.printf("largest valid body of %s: %d bytes as UTF-8, %d bytes with non-ASCII escaped (limit %d)%n",
          operation.operationId(), utf8, asciiEscaped, limit);
      assertThat((long) Math.max(utf8, asciiEscaped)).as(operation.operationId()).isLessThanOrEqualTo(limit);

      HttpResponse<Buffer> answer = send(operation, Buffer.buffer(asciiEscaped(largest)));
      assertThat(answer.statusCode()).as(operation + " with its largest valid body: " + answer.bodyAsString()).isNotIn(400, 413);
      assertThat(answer.statusCode()).as(operation + " with its largest valid body: " + answer.bodyAsString()).isLessThan(500);
    }
  }

  @Test
  void theChangeEventOfTheLargestValidClinicUpdateFitsKafka() {
    // the event carries the whole clinic document: first make its settings their largest too
    for (String settings : List.of("UpdateSuppressedNotifications", "UpdateMembershipRestrictions", "UpdateEHRSettings",
        "UpdateMRNSettings", "UpdatePatientCountSettings")) {
      ContractOperation write = operation(settings);
      HttpResponse<Buffer> written = send(write, ((JsonObject) instances.largest(write.bodySchema(), 0)).toBuffer());
      assertThat(written.statusCode()).as(settings + ": " + written.bodyAsString()).isEqualTo(200);
    }
    ContractOperation update = operation("UpdateClinic");
    JsonObject largest = (JsonObject) instances.largest(update.bodySchema(), 0);
    HttpResponse<Buffer> answer = send(update, largest.toBuffer());
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    JsonObject record = latestChangeRecord();
    assertThat(record.getString("operationType")).isEqualTo("update");
    int eventBytes = StrictJson.changeEvent(record.getJsonObject("event")).getBytes(StandardCharsets.UTF_8).length;
    System.out.printf("change event of the largest valid UpdateClinic: %d bytes (Kafka's limit %d)%n", eventBytes, KAFKA_MESSAGE_LIMIT);
    assertThat(eventBytes).isLessThan(KAFKA_MESSAGE_LIMIT / 2);
  }

  @Test
  void aFieldOverItsMaxLengthIs400NamingItAndNothingIsWritten() {
    JsonObject before = clinicDocument();
    long changeRecords = changeRecords();
    JsonObject body = new JsonObject().put("name", "Bounded Clinic").put("preferredBgUnits", "mg/dL").put("address", "a".repeat(501));
    assertError(send(operation("UpdateClinic"), body.toBuffer()), 400, "body/address");
    assertThat(clinicDocument()).isEqualTo(before);
    assertThat(changeRecords()).isEqualTo(changeRecords);
  }

  @Test
  void aSixHundredThousandCharacterAddressIsRefusedAndNothingIsWritten() {
    JsonObject before = clinicDocument();
    long changeRecords = changeRecords();
    JsonObject body = new JsonObject().put("name", "Bounded Clinic").put("preferredBgUnits", "mg/dL").put("address", "a".repeat(600_000));
    assertError(send(operation("UpdateClinic"), body.toBuffer()), 413, "at most");
    assertThat(clinicDocument()).isEqualTo(before);
    assertThat(changeRecords()).isEqualTo(changeRecords);
  }

  private static ContractOperation operation(String operationId) {
    return contract.operations().stream().filter(op -> op.operationId().equals(operationId)).findFirst().orElseThrow();
  }

  /** Sends a body to the operation on the fixture clinic, as the service for internal operations, as Ann otherwise. */
  private static HttpResponse<Buffer> send(ContractOperation operation, Buffer body) {
    String uri = operation.path().replace("{clinicId}", clinicId).replace("{clinicianId}", ANN).replace("{userId}", ANN)
        .replace("{patientId}", ANN).replace("{inviteId}", "no-such-invite")
        .replace("{patientTagId}", "0123456789abcdef01234567").replace("{siteId}", "0123456789abcdef01234567"); // no such tag, site: 404
    boolean internal = ServiceOperations.serviceOnly(operation.operationId(), ANN);
    return Await.result(stack.http().request(operation.method(), uri)
        .bearerTokenAuthentication(internal ? stack.serverToken() : annToken)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body));
  }

  private static JsonObject clinicDocument() {
    return Await.result(stack.clinicDb().findOne("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", clinicId)), null));
  }

  private static long changeRecords() {
    return Await.result(stack.clinicDb().count(ChangeRecorder.COLLECTION, new JsonObject()));
  }

  private static JsonObject latestChangeRecord() {
    return Await.result(stack.clinicDb().findWithOptions(ChangeRecorder.COLLECTION,
        new JsonObject().put("documentKey._id", new JsonObject().put("$oid", clinicId)),
        new FindOptions().setSort(new JsonObject().put("_id", -1)).setLimit(1))).get(0);
  }

  // --- the contract's bounds -------------------------------------------------------------------

  private static void collectUnbounded(JsonObject node, String where, List<String> unbounded, Map<JsonObject, Boolean> seen) {
    JsonObject schema = contract.resolve(node);
    if (seen.put(schema, true) != null) {
      return;
    }
    String type = schema.getString("type");
    if ("string".equals(type) && !schema.containsKey("maxLength") && !schema.containsKey("enum")
        && !"date-time".equals(schema.getString("format"))) {
      unbounded.add(where);
    }
    if ("array".equals(type) && !schema.containsKey("maxItems")) {
      unbounded.add(where + " (array)");
    }
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    properties.fieldNames().forEach(name -> collectUnbounded(properties.getJsonObject(name), where + "/" + name, unbounded, seen));
    if (schema.getValue("items") instanceof JsonObject items) {
      collectUnbounded(items, where + "[]", unbounded, seen);
    }
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      schema.getJsonArray(combinator, new JsonArray()).forEach(member -> collectUnbounded((JsonObject) member, where, unbounded, seen));
    }
  }

  /** The JSON as a client escaping every non-ASCII character writes it (Python's json.dumps does). */
  private static String asciiEscaped(String json) {
    StringBuilder escaped = new StringBuilder(json.length() * 2);
    json.chars().forEach(c -> escaped.append(c < 0x80 ? Character.toString(c) : String.format("\\u%04x", c)));
    return escaped.toString();
  }
}
