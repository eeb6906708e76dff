package org.tidepool.clinic.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.testing.HttpAssertions.assertError;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.testing.TestStack;

/**
 * A path with {@code .} or {@code ..} segments, raw or percent-encoded, never runs another
 * operation (Vert.x Web resolves them before routing): it is a 400, and nothing changes.
 */
class DotSegmentsTest {
  static final String ANN = "abcdef0123";
  static final List<String> DOTS = List.of("..", ".", "%2e%2e", "%2E%2E", "%2E.", ".%2e", "%2e", "%2E");
  static final String SEGMENTS_MESSAGE = "'.' or '..' segments";

  static TestStack stack;
  static String annToken;
  static String clinicId;

  @BeforeAll
  static void start() {
    stack = TestStack.start(new JsonObject().put("ROLES", "api,store"));
    annToken = stack.userToken(ANN, "ann@example.org", "Ann Smith");
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/v1/clinics", annToken,
        new JsonObject().put("name", "Dotted Clinic").put("preferredBgUnits", "mg/dL"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    clinicId = created.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static HttpResponse<Buffer> send(HttpMethod method, String uri, String token, JsonObject body) {
    HttpRequest<Buffer> request = stack.http().request(method, uri).bearerTokenAuthentication(token);
    return Await.result(body == null ? request.send() : request.sendJson(body));
  }

  static void assertClinicAndAdminUntouched() {
    HttpResponse<Buffer> clinic = send(HttpMethod.GET, "/v1/clinics/" + clinicId, annToken, null);
    assertThat(clinic.statusCode()).as(clinic.bodyAsString()).isEqualTo(200);
    assertThat(clinic.bodyAsJsonObject().getString("name")).isEqualTo("Dotted Clinic");
    HttpResponse<Buffer> admin = send(HttpMethod.GET, "/v1/clinics/" + clinicId + "/clinicians/" + ANN, annToken, null);
    assertThat(admin.statusCode()).as(admin.bodyAsString()).isEqualTo(200);
  }

  @Test
  void deletingPatientTagsDotDotDoesNotDeleteTheClinic() {
    assertError(send(HttpMethod.DELETE, "/v1/clinics/" + clinicId + "/patient_tags/..", annToken, null), 400, SEGMENTS_MESSAGE);
    assertClinicAndAdminUntouched();
  }

  @Test
  void gettingCliniciansDotDotDoesNotAnswerTheClinic() {
    HttpResponse<Buffer> answer = send(HttpMethod.GET, "/v1/clinics/" + clinicId + "/clinicians/..", annToken, null);
    assertError(answer, 400, SEGMENTS_MESSAGE);
    assertThat(answer.bodyAsString()).doesNotContain("Dotted Clinic");
  }

  @Test
  void everyDotSegmentRawOrEncodedAnywhereInThePathIs400ForEveryMethod() {
    List<String> answered = new ArrayList<>();
    for (String dot : DOTS) {
      List<String> paths = List.of(
          "/v1/clinics/" + clinicId + "/clinicians/" + ANN + "/" + dot,
          "/v1/clinics/" + clinicId + "/clinicians/" + dot,
          "/v1/clinics/" + clinicId + "/" + dot + "/clinicians",
          "/v1/clinics/" + clinicId + "/clinicians/" + dot + "/clinicians",
          "/v1/" + dot + "/v1/clinics/" + clinicId,
          "/" + dot + "/v1/clinics/" + clinicId,
          "/v1/clinics/" + clinicId + "/" + dot + "/",
          "/ready/" + dot);
      for (String path : paths) {
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.POST)) {
          HttpResponse<Buffer> answer = send(method, path, annToken, new JsonObject().put("name", "Renamed").put("preferredBgUnits", "mg/dL"));
          if (answer.statusCode() != 400 || !answer.bodyAsString().contains(SEGMENTS_MESSAGE)) {
            answered.add(method + " " + path + " -> " + answer.statusCode() + " " + answer.bodyAsString());
          }
        }
      }
    }
    assertThat(answered).as("requests with dot segments that were not refused").isEmpty();
    assertClinicAndAdminUntouched();
  }

  @Test
  void segmentsThatOnlyContainDotsAreOrdinaryValues() {
    for (String notADotSegment : List.of("...", "..a", "a..", ".a", "%2e%2e%2e")) {
      HttpResponse<Buffer> answer = send(HttpMethod.GET, "/v1/clinics/" + clinicId + "/clinicians/" + notADotSegment, annToken, null);
      assertError(answer, 400, "clinicianId");
    }
  }
}
