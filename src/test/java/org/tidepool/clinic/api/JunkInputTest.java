package org.tidepool.clinic.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.testing.HttpAssertions.assertError;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.api.ContractDocument.ContractOperation;
import org.tidepool.clinic.testing.TestStack;

/**
 * Junk gets a 4xx with a JSON body naming the problem, never a 5xx (issue 5, part 4): malformed
 * percent-escapes, empty emails and ids, request lines and headers the HTTP codec refuses.
 */
class JunkInputTest {
  static final String ANN = "abcdef0123";
  static final String BOB = "0123456789";
  static final List<String> BAD_ESCAPES = List.of("%zz", "%", "%2", "%g0", "a%", "%%41");

  static TestStack stack;
  static String annToken;
  static String clinicId;

  @BeforeAll
  static void start() {
    stack = TestStack.start(new JsonObject().put("ROLES", "api,store"));
    annToken = stack.userToken(ANN, "ann@example.org", "Ann Smith");
    stack.userToken(BOB, "bob@example.org", "Bob Jones");
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/v1/clinics", annToken, clinic("Junk Clinic"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    clinicId = created.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static JsonObject clinic(String name) {
    return new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL");
  }

  static HttpResponse<Buffer> send(HttpMethod method, String uri, String token, JsonObject body) {
    HttpRequest<Buffer> request = stack.http().request(method, uri).bearerTokenAuthentication(token);
    return Await.result(body == null ? request.send() : request.sendJson(body));
  }

  static String members() {
    return "/v1/clinics/" + clinicId + "/clinicians";
  }

  static long count(String collection, JsonObject query) {
    return Await.result(stack.clinicDb().count(collection, query));
  }

  @Test
  void aBadPercentEscapeInTheQueryOfAnOperationWithoutPathParametersIs400NamingTheParameter() {
    List<ContractOperation> withoutPathParameters = ContractDocument.load().operations().stream()
        .filter(operation -> operation.parameters("path").isEmpty())
        .toList();
    assertThat(withoutPathParameters).extracting(ContractOperation::operationId).contains("ListClinics", "CreateClinic", "ListAllClinicians");
    long clinicsBefore = count("clinics", new JsonObject());
    for (ContractOperation operation : withoutPathParameters) {
      List<String> names = operation.parameters("query").stream().map(parameter -> parameter.getString("name")).toList();
      for (String name : names.isEmpty() ? List.of("anything") : names) {
        for (String escape : BAD_ESCAPES) {
          HttpResponse<Buffer> answer = send(operation.method(), operation.path() + "?" + name + "=" + escape, stack.serverToken(),
              operation.bodySchema() == null ? null : clinic("Escaped Clinic"));
          assertError(answer, 400, "query parameter '" + name + "'");
          assertThat(answer.bodyAsJsonObject().getString("message")).contains("percent-encoding");
        }
      }
    }
    assertThat(count("clinics", new JsonObject())).isEqualTo(clinicsBefore);
  }

  @Test
  void aBadPercentEscapeIsNamedWhereverItIs() {
    assertError(send(HttpMethod.GET, "/v1/clinics?limit=5&shareCode=%zz", stack.serverToken(), null), 400, "'shareCode'");
    assertError(send(HttpMethod.GET, "/v1/clinics?%zz=5", stack.serverToken(), null), 400, "'%zz'");
    assertError(send(HttpMethod.GET, members() + "?search=%zz", annToken, null), 400, "'search'");
    assertError(send(HttpMethod.GET, "/v1/clinics/" + clinicId + "%zz", annToken, null), 400, "percent-encoding");
  }

  @Test
  void anEmptyEmailQueryIs400NamingIt() {
    assertError(send(HttpMethod.GET, members() + "?email=", annToken, null), 400, "query parameter email");
  }

  @Test
  void anEmptyEmailInACreatedClinicianIs400AndNothingIsWritten() {
    long before = count("clinicians", new JsonObject());
    JsonObject invite = new JsonObject().put("email", "").put("roles", new JsonArray().add("CLINIC_MEMBER")).put("inviteId", "inv-empty-email");
    assertError(send(HttpMethod.POST, members(), stack.serverToken(), invite), 400, "body/email");
    assertThat(count("clinicians", new JsonObject())).isEqualTo(before);
  }

  @Test
  void anEmptyEmailInAnUpdatedClinicianIs400AndNothingChanges() {
    JsonObject before = Await.result(stack.clinicDb().findOne("clinicians", new JsonObject().put("userId", ANN), null));
    JsonObject update = new JsonObject().put("email", "").put("name", "Ann Smith").put("roles", new JsonArray().add("CLINIC_ADMIN"));
    assertError(send(HttpMethod.PUT, members() + "/" + ANN, annToken, update), 400, "body/email");
    assertThat(Await.result(stack.clinicDb().findOne("clinicians", new JsonObject().put("userId", ANN), null))).isEqualTo(before);
  }

  @Test
  void anEmptyInviteIdIs400AndNothingIsWritten() {
    long before = count("clinicians", new JsonObject());
    JsonObject invite = new JsonObject().put("email", "empty.invite@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER")).put("inviteId", "");
    assertError(send(HttpMethod.POST, members(), stack.serverToken(), invite), 400, "body/inviteId");
    assertThat(count("clinicians", new JsonObject())).isEqualTo(before);
    assertThat(count("clinicians", new JsonObject().put("email", "empty.invite@example.org"))).isZero();
  }

  @Test
  void anInviteIsAcceptedOnlyByANonEmptyTidepoolUserId() {
    JsonObject invite = new JsonObject().put("email", "pending@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER")).put("inviteId", "inv-accept");
    assertThat(send(HttpMethod.POST, members(), stack.serverToken(), invite).statusCode()).isEqualTo(200);
    String accept = "/v1/clinics/" + clinicId + "/invites/clinicians/inv-accept/clinician";
    assertError(send(HttpMethod.PATCH, accept, stack.serverToken(), new JsonObject().put("userId", "")), 400, "body/userId");
    assertError(send(HttpMethod.PATCH, accept, stack.serverToken(), new JsonObject().put("userId", "not a user id")), 400, "body/userId");
    JsonObject pending = Await.result(stack.clinicDb().findOne("clinicians", new JsonObject().put("inviteId", "inv-accept"), null));
    assertThat(pending).isNotNull();
    assertThat(pending.containsKey("userId")).isFalse();
  }

  @Test
  void aRequestLineOver4KiBIs414WithTheJsonBody() {
    HttpResponse<Buffer> answer = send(HttpMethod.GET, "/v1/clinics/" + clinicId + "?search=" + "a".repeat(5000), annToken, null);
    assertError(answer, 414, "request line too long");
    assertThat(send(HttpMethod.GET, "/v1/clinics/" + clinicId, annToken, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestLineTheCodecCannotReadIs400WithTheJsonBody() {
    String answer = rawExchange("GET /v1/clinics/a b HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.0 400");
    assertThat(answer).containsIgnoringCase("content-type: application/json");
    JsonObject error = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(error).isEqualTo(new JsonObject().put("code", 400).put("message", "malformed HTTP request"));
  }

  /** Writes the bytes on a new connection and reads what comes back until the server has answered. */
  static String rawExchange(String request) {
    NetClient client = stack.vertx().createNetClient();
    NetSocket socket = Await.result(client.connect(stack.httpPort(), "127.0.0.1"));
    Promise<String> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(chunk -> {
      received.appendBuffer(chunk);
      String text = received.toString();
      int headersEnd = text.indexOf("\r\n\r\n");
      if (headersEnd > 0 && text.endsWith("}")) {
        answer.tryComplete(text);
      }
    });
    socket.closeHandler(closed -> answer.tryComplete(received.toString()));
    socket.write(request);
    try {
      return Await.result(answer.future());
    } finally {
      client.close();
    }
  }

  @Test
  void headersOver8KiBAre431WithTheJsonBody() {
    HttpResponse<Buffer> answer = Await.result(stack.http().get("/v1/clinics/" + clinicId).bearerTokenAuthentication(annToken)
        .putHeader("X-Padding", "a".repeat(9000)).send());
    assertError(answer, 431, "request header fields too large");
    assertThat(send(HttpMethod.GET, "/v1/clinics/" + clinicId, annToken, null).statusCode()).isEqualTo(200);
  }
}
