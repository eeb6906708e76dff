package org.tidepool.clinic.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.api.ContractDocument.ContractOperation;
import org.tidepool.clinic.testing.TestStack;

/**
 * Bad values for every parameter and body property of every operation the contract lists (read
 * from the contract), sent to the running service as a service and as a clinic admin: no answer
 * is a 5xx, every 4xx carries the {@code {code, message}} body (and none is the validator's crash),
 * and the fixture survives: no bad value ran another operation.
 */
class ContractFuzzTest {
  static final String ANN = "abcdef0123";
  static final String ANN_EMAIL = "ann@example.org";
  static final String INVITE = "inv-fuzz";
  static final long ANSWER_TIMEOUT_SECONDS = 10;

  /**
   * Text for a path segment: dot segments, escapes good and bad, sizes around the bounds. No raw
   * blanks: the Vert.x 5.0.7 client throws on them and never completes the request
   * ({@link JunkInputTest} sends them over a socket).
   */
  static final List<String> BAD_PATH_VALUES = List.of("", "%20", "+", "%zz", "%", "%2", "..", ".", "%2e%2e", "%2E.", "%2F",
      "a%2Fb", "%00", "%ff", "%C0%AE", "%E2%80%AE", "%5B%5D", "%7B%7D", "%24ne", "null", "0", "-1", "ABCD-EFGH-JKLM",
      "000000000000000000000000", "0000000000", "x".repeat(300), "x".repeat(5000));

  /** Raw text for a query value. */
  static final List<String> BAD_QUERY_VALUES = List.of("", "%zz", "%", "-1", "0", "1.5", "1e3", "99999999999999999999", "abc",
      "true", "%00", "%ff", "..", "%5B%5D", "%24gt", "a%26limit%3D-1", "a&limit=-1", "2026-13-45T99:99:99Z", "null",
      "x".repeat(300), "x".repeat(5000));

  /** JSON values for a body property (the last one overflowed the uri format check's stack). */
  static final List<Object> BAD_BODY_VALUES = List.of("", " ", 0, -1, 1.5, 1e308, Long.MAX_VALUE, true, new JsonArray(),
      new JsonObject(), new JsonArray().add(""), new JsonObject().put("$ne", ""), "x".repeat(300), "x".repeat(100_000), "\u0000",
      "\uD800", "\uD840\uDC00".repeat(1000), "%zz", "..", "<script>", "${jndi:ldap://x}",
      "https://example.org/" + "a/".repeat(2000));

  /** Whole bodies that are no valid instance of anything. */
  static final List<String> BAD_RAW_BODIES = List.of("", "null", "[]", "{", "\"text\"", "123", "{\"name\":", "[".repeat(5000),
      "{\"a\":1,\"a\":2}", "{}");

  static TestStack stack;
  static WireMockServer tokenEndpoint;
  static String annToken;
  static String clinicId;
  static String shareCode;
  static String tagId;
  static String siteId;
  static ContractDocument contract;
  static SchemaInstances instances;

  final List<String> problems = new ArrayList<>();
  int requests;

  @BeforeAll
  static void start() {
    tokenEndpoint = new WireMockServer(options().dynamicPort());
    tokenEndpoint.start();
    tokenEndpoint.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}")));
    stack = TestStack.start(new JsonObject().put("ROLES", "api,store").put("TIDEPOOL_AUTH_SERVICE_TOKEN_ENDPOINT", tokenEndpoint.baseUrl() + "/token"));
    contract = ContractDocument.load();
    instances = new SchemaInstances(contract);
    annToken = stack.userToken(ANN, ANN_EMAIL, "Ann Smith");
    HttpResponse<Buffer> created = Await.result(stack.http().post("/v1/clinics").bearerTokenAuthentication(annToken)
        .sendJson(new JsonObject().put("name", "Fuzz Clinic").put("preferredBgUnits", "mg/dL")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    clinicId = created.bodyAsJsonObject().getString("id");
    shareCode = created.bodyAsJsonObject().getString("shareCode");
    HttpResponse<Buffer> invited = Await.result(stack.http().post("/v1/clinics/" + clinicId + "/clinicians")
        .bearerTokenAuthentication(stack.serverToken())
        .sendJson(new JsonObject().put("email", "invited@example.org").put("inviteId", INVITE).put("roles", new JsonArray().add("CLINIC_MEMBER"))));
    assertThat(invited.statusCode()).as(invited.bodyAsString()).isEqualTo(200);
    tagId = fixture("/patient_tags", "Fuzz tag");
    siteId = fixture("/sites", "Fuzz site");
    BODY_OVERRIDES.put("MergeSite", new JsonObject().put("id", fixture("/sites", "Fuzz merged site")));
    // Ann is a legacy clinic account too, with a migration in the clinic (UpdateMigration's valid body repeats its state)
    stack.platformDb().updateCollection("users", new JsonObject().put("_id", ANN),
        new JsonObject().put("$set", new JsonObject().put("roles", new JsonArray().add("clinic")))).await();
    HttpResponse<Buffer> migration = Await.result(stack.http().post("/v1/clinics/" + clinicId + "/migrations")
        .bearerTokenAuthentication(stack.serverToken()).sendJson(new JsonObject().put("userId", ANN)));
    assertThat(migration.statusCode()).as(migration.bodyAsString()).isEqualTo(202);
  }

  /** A tag or site of the clinic: its id. */
  private static String fixture(String collection, String name) {
    HttpResponse<Buffer> created = Await.result(stack.http().post("/v1/clinics/" + clinicId + collection)
        .bearerTokenAuthentication(annToken).sendJson(new JsonObject().put("name", name)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    return created.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (tokenEndpoint != null) {
      tokenEndpoint.stop();
    }
  }

  /**
   * Valid bodies the contract's schemas cannot tell: UpdateClinician must keep Ann the clinic's
   * admin with her own email (the first role of the enum would demote her, the last admin).
   */
  static final Map<String, JsonObject> BODY_OVERRIDES = new HashMap<>(Map.of(
      "UpdateClinician", new JsonObject().put("email", ANN_EMAIL).put("name", "Ann Smith").put("roles", new JsonArray().add("CLINIC_ADMIN")),
      // the valid names of CreatePatientTag and CreateSite (the same schemas) are taken by then: a rename to them is a duplicate
      "UpdatePatientTag", new JsonObject().put("name", "Renamed tag"),
      "UpdateSite", new JsonObject().put("name", "Renamed site"),
      "MigrateLegacyClinicianPatients", new JsonObject().put("userId", ANN)));
  // MergeSite: another site of the clinic than the path's (set once the fixture has it)

  /**
   * The business answers a valid body gets after the fuzz: a variant with a blank inviteId already
   * created the clinician, the token endpoint here refuses every service account, Ann (whom
   * the path names) is no clinic's patient, and the clinic is migrated with Ann's migration.
   */
  static final Map<String, String> EXPECTED_REFUSALS = Map.of(
      "CreateClinician", "409 clinician is already a member of the clinic",
      "AddServiceAccount", "400 the token endpoint rejected the service account credentials",
      "UpdatePatientDataSources", "404 user " + ANN + " is not a patient of any clinic",
      // the clinic is a migrated one, and Ann's migration is there already
      "TriggerInitialMigration", "422 clinic is already migrated",
      "MigrateLegacyClinicianPatients", "409 the legacy account " + ANN + " has a migration already");

  /**
   * A valid body per operation, made from its schema (or overridden); the fuzz replaces one
   * property at a time. Null for an operation whose body is an array: only its raw forms are fuzzed.
   */
  static JsonObject validBody(ContractOperation operation) {
    JsonObject override = BODY_OVERRIDES.get(operation.operationId());
    if (override != null) {
      return override.copy();
    }
    return instances.valid(operation.bodySchema(), 0) instanceof JsonObject object ? object : null;
  }

  private static boolean hasArrayBody(ContractOperation operation) {
    return operation.bodySchema() != null && instances.valid(operation.bodySchema(), 0) instanceof JsonArray;
  }

  Map<String, String> validPathValues() {
    return Map.of("clinicId", clinicId, "clinicianId", ANN, "userId", ANN, "inviteId", INVITE, "shareCode", shareCode,
        "patientId", ANN, "providerId", "dexcom", "permission", "view", "patientTagId", tagId, "siteId", siteId);
  }

  @Test
  void noBadValueOfAnyParameterOrBodyPropertyGetsA5xxOrA4xxWithoutTheJsonBody() {
    long started = System.nanoTime();
    for (ContractOperation operation : contract.operations()) {
      JsonObject body = operation.bodySchema() == null ? null : validBody(operation);
      if (hasArrayBody(operation)) {
        for (String raw : BAD_RAW_BODIES) {
          check(operation, callerOf(operation), uri(operation, validPathValues(), ""), Buffer.buffer(raw));
        }
      }
      for (String caller : callers()) {
        for (JsonObject parameter : operation.parameters("path")) {
          for (String bad : BAD_PATH_VALUES) {
            Map<String, String> values = new HashMap<>(validPathValues());
            values.put(parameter.getString("name"), bad);
            check(operation, caller, uri(operation, values, ""), body == null ? null : body.toBuffer());
          }
        }
        for (JsonObject parameter : operation.parameters("query")) {
          String name = parameter.getString("name");
          for (String bad : BAD_QUERY_VALUES) {
            check(operation, caller, uri(operation, validPathValues(), "?" + name + "=" + bad), body == null ? null : body.toBuffer());
          }
          check(operation, caller, uri(operation, validPathValues(), "?" + name + "=1&" + name + "=2"), body == null ? null : body.toBuffer());
        }
      }
      if (body != null) {
        String caller = callerOf(operation);
        String uri = uri(operation, validPathValues(), "");
        for (String property : properties(operation.bodySchema())) {
          for (Object bad : BAD_BODY_VALUES) {
            check(operation, caller, uri, body.copy().put(property, bad).toBuffer());
          }
          check(operation, caller, uri, body.copy().putNull(property).toBuffer());
          JsonObject without = body.copy();
          without.remove(property);
          check(operation, caller, uri, without.toBuffer());
        }
        for (String raw : BAD_RAW_BODIES) {
          check(operation, caller, uri, Buffer.buffer(raw));
        }
        check(operation, caller, uri, Buffer.buffer(new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}));
      }
    }
    System.out.printf("fuzz: %d requests in %d ms, %d problems%n", requests, (System.nanoTime() - started) / 1_000_000, problems.size());
    assertThat(problems).as("answers that are 5xx or lack the JSON error body").isEmpty();
    assertTheFixtureSurvived();
    assertEveryValidBodyIsAccepted();
  }

  /** The bodies the fuzz varied are valid: each sent unchanged is answered with a 2xx or its expected business refusal. */
  private void assertEveryValidBodyIsAccepted() {
    List<String> refused = new ArrayList<>();
    for (ContractOperation operation : contract.operations()) {
      if (operation.bodySchema() == null) {
        continue;
      }
      Object body = instances.valid(operation.bodySchema(), 0);
      if (body instanceof JsonObject) {
        body = validBody(operation);
      }
      HttpResponse<Buffer> answer = Await.result(stack.http().request(operation.method(), uri(operation, validPathValues(), ""))
          .bearerTokenAuthentication(callerOf(operation)).sendJson(body));
      System.out.printf("valid body of %s: %s -> %d%n", operation.operationId(), io.vertx.core.json.Json.encode(body), answer.statusCode());
      String refusal = answer.statusCode() + " " + (answer.statusCode() / 100 == 2 ? "" : answer.bodyAsJsonObject().getString("message"));
      if (answer.statusCode() / 100 != 2 && !refusal.equals(EXPECTED_REFUSALS.get(operation.operationId()))) {
        refused.add(operation.operationId() + " " + io.vertx.core.json.Json.encode(body) + " -> " + answer.statusCode() + " " + shortened(answer.bodyAsString()));
      }
    }
    assertThat(refused).as("valid bodies the service refused").isEmpty();
  }

  /** The service token for operations only services call, Ann (the clinic's admin) for the others. */
  private static String callerOf(ContractOperation operation) {
    return ServiceOperations.serviceOnly(operation.operationId(), ANN) ? stack.serverToken() : annToken;
  }

  private static void assertTheFixtureSurvived() {
    HttpResponse<Buffer> clinic = Await.result(stack.http().get("/v1/clinics/" + clinicId).bearerTokenAuthentication(annToken).send());
    assertThat(clinic.statusCode()).as(clinic.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> admin = Await.result(stack.http().get("/v1/clinics/" + clinicId + "/clinicians/" + ANN).bearerTokenAuthentication(annToken).send());
    assertThat(admin.statusCode()).as(admin.bodyAsString()).isEqualTo(200);
    assertThat(admin.bodyAsJsonObject().getJsonArray("roles")).contains("CLINIC_ADMIN");
    HttpResponse<Buffer> invite = Await.result(stack.http().get("/v1/clinics/" + clinicId + "/invites/clinicians/" + INVITE + "/clinician")
        .bearerTokenAuthentication(stack.serverToken()).send());
    assertThat(invite.statusCode()).as(invite.bodyAsString()).isEqualTo(200);
  }

  /** The service token, and Ann (the clinic's admin) where the operation is not for services only. */
  private static List<String> callers() {
    return List.of(stack.serverToken(), annToken);
  }

  private static List<String> properties(JsonObject schema) {
    return new ArrayList<>(schema.getJsonObject("properties", new JsonObject()).fieldNames());
  }

  private static String uri(ContractOperation operation, Map<String, String> pathValues, String query) {
    String uri = operation.path();
    for (Map.Entry<String, String> value : pathValues.entrySet()) {
      uri = uri.replace("{" + value.getKey() + "}", value.getValue());
    }
    return uri + query;
  }

  private void check(ContractOperation operation, String token, String uri, Buffer body) {
    requests++;
    HttpRequest<Buffer> request = stack.http().request(operation.method(), uri).bearerTokenAuthentication(token);
    HttpResponse<Buffer> answer;
    try {
      answer = (body == null ? request.send() : request.putHeader("Content-Type", "application/json").sendBuffer(body))
          .await(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (RuntimeException | TimeoutException failed) {
      problems.add(describe(operation, uri, body) + " -> no answer: " + failed);
      return;
    }
    String problem = problemWith(answer);
    if (problem != null) {
      problems.add(describe(operation, uri, body) + " -> " + answer.statusCode() + " " + problem + ": " + shortened(answer.bodyAsString()));
    }
  }

  /** Null when the answer is a success or a 4xx with the error body. */
  private static String problemWith(HttpResponse<Buffer> answer) {
    int status = answer.statusCode();
    if (status >= 200 && status < 300) {
      return null;
    }
    if (status < 400 || status >= 500) {
      return "is not a 2xx or 4xx";
    }
    if (answer.getHeader("Content-Type") == null || !answer.getHeader("Content-Type").startsWith("application/json")) {
      return "has no JSON content type";
    }
    try {
      JsonObject error = answer.bodyAsJsonObject();
      if (error == null || error.getInteger("code", -1) != status || error.getString("message", "").isBlank()) {
        return "has no {code, message} body";
      }
      if (error.getString("message").equals(RequestValidation.UNCHECKABLE)) {
        return "crashed the validator (the answer names no field)";
      }
    } catch (RuntimeException notJson) {
      return "has no JSON body";
    }
    return null;
  }

  private static String describe(ContractOperation operation, String uri, Buffer body) {
    return operation.operationId() + " " + operation.method() + " " + shortened(uri) + (body == null ? "" : " " + shortened(body.toString()));
  }

  private static String shortened(String text) {
    return text == null ? "null" : text.length() <= 160 ? text : text.substring(0, 160) + "…(" + text.length() + ")";
  }
}
