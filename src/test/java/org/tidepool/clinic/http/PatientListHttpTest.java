package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ListPatients, TideReport, UpdatePatientSummary and DeletePatientSummary over HTTP: answers, 400s naming the parameter, who may call. */
class PatientListHttpTest extends HttpTestBase {
  static final String TAG = "aaaaaaaaaaaaaaaaaaaaaaa1";
  Person admin;
  Person member;
  String clinicId;
  String zoe;
  String emile;

  @BeforeAll
  void seed() {
    admin = person("List Admin");
    member = person("List Member");
    clinicId = createClinic(admin, "List Clinic").getString("id");
    addMember(clinicId, member, "CLINIC_MEMBER");
    // the demo patient (nameless here) would be one more row of every list
    stack.clinicDb().removeDocuments("patients", new JsonObject().put("userId", DEMO_PATIENT)).await();
    zoe = patient("Zoë Quinn", summary("aaaa00000001", 0.55));
    patient("anna Lopez", summary("aaaa00000002", 0.85));
    emile = patient("Émile Zola", null);
  }

  private String patient(String name, JsonObject summary) {
    Person patient = person(name);
    okArray(get("/v1/patients/" + patient.id() + "/clinics", patient.token()));
    ok(call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/patients/" + patient.id(), server, new JsonObject().put("fullName", name)
        .put("birthDate", "1990-01-02").put("tags", new JsonArray().add(TAG)).put("permissions", new JsonObject().put("view", new JsonObject()))));
    if (summary != null) {
      assertThat(call(HttpMethod.POST, "/v1/patients/" + patient.id() + "/summary", server, summary).statusCode()).isEqualTo(200);
    }
    return patient.id();
  }

  static JsonObject summary(String id, double inTarget) {
    return new JsonObject().put("cgmStats", new JsonObject().put("id", id)
        .put("dates", new JsonObject().put("hasLastData", true).put("lastData", "2026-11-30T10:00:00Z"))
        .put("periods", new JsonObject().put("14d", new JsonObject().put("hasTimeInTargetPercent", true).put("timeInTargetPercent", inTarget)
            .put("hasTimeCGMUsePercent", true).put("timeCGMUsePercent", 0.9).put("timeInVeryLowPercent", 0.0)
            .put("timeInAnyLowPercent", 0.01).put("timeInVeryHighPercent", 0.0).put("timeInAnyHighPercent", 0.1))));
  }

  private HttpResponse<Buffer> list(String query, String token) {
    return get("/v1/clinics/" + clinicId + "/patients" + query, token);
  }

  private static List<String> names(JsonObject page) {
    List<String> names = new ArrayList<>();
    page.getJsonArray("data").forEach(patient -> names.add(((JsonObject) patient).getString("fullName")));
    return names;
  }

  @Test
  void aMemberListsPagesInNameOrder() {
    JsonObject page = ok(list("?sort=%2BfullName&limit=2", member.token()));
    assertThat(names(page)).containsExactly("anna Lopez", "Émile Zola");
    assertThat(page.getJsonObject("meta").getInteger("count")).isEqualTo(3);
    assertThat(page.getJsonObject("meta").getInteger("totalCount")).isEqualTo(3);
    assertThat(names(ok(list("?sort=-fullName", server)))).containsExactly("Zoë Quinn", "Émile Zola", "anna Lopez");
  }

  @Test
  void filtersAndSummarySortsOverHttp() {
    assertThat(names(ok(list("?cgm.timeInTargetPercent=%3E%3D.7&tags=" + TAG, member.token())))).containsExactly("anna Lopez");
    assertThat(names(ok(list("?cgm.timeInTargetPercent=%3C1", member.token())))).hasSize(2);
    assertThat(names(ok(list("?sort=-timeInTargetPercent&sortType=cgm", member.token()))))
        .containsExactly("anna Lopez", "Zoë Quinn", "Émile Zola");
    assertThat(names(ok(list("?search=%C3%89MILE", member.token())))).containsExactly("Émile Zola");
    JsonObject patient = ok(list("?search=zo%C3%AB", member.token())).getJsonArray("data").getJsonObject(0);
    assertThat(patient.getJsonObject("summary").getJsonObject("cgmStats").getJsonObject("dates").getString("lastData"))
        .isEqualTo("2026-11-30T10:00:00Z");
  }

  @Test
  void badValuesAre400NamingTheParameter() {
    assertError(list("?limit=0", member.token()), 400, "limit");
    assertError(list("?sort=fullName", member.token()), 400, "sort");
    assertError(list("?sort=-noSuchThing&sortType=cgm", member.token()), 400, "sort");
    assertError(list("?sort=-timeInTargetPercent", member.token()), 400, "sortType");
    assertError(list("?sortType=pump", member.token()), 400, "sortType");
    assertError(list("?cgm.timeInTargetPercent=%3D%3D0.7", member.token()), 400, "cgm.timeInTargetPercent");
    assertError(list("?cgm.timeInTargetMinutes=%3E1.5", member.token()), 400, "cgm.timeInTargetMinutes");
    assertError(list("?period=2d", member.token()), 400, "period");
    assertError(list("?cgm.lastDataFrom=yesterday", member.token()), 400, "cgm.lastDataFrom");
  }

  @Test
  void onlyMembersAndServicesSeeTheList() {
    Person stranger = person("Stranger");
    assertError(list("", stranger.token()), 403, "");
    assertError(get("/v1/clinics/" + clinicId + "/tide_report?period=14d&tags=" + TAG + "&lastDataCutoff=2026-11-01T00:00:00Z",
        stranger.token()), 403, "");
    assertError(list("", null), 401, "");
  }

  @Test
  void theTideReportOverHttp() {
    JsonObject report = ok(get("/v1/clinics/" + clinicId + "/tide_report?period=14d&tags=" + TAG
        + "&lastDataCutoff=2026-11-01T00:00:00Z&categories=timeInTargetPercent,meetingTargets", member.token()));
    JsonObject results = report.getJsonObject("results");
    assertThat(results.getJsonArray("timeInTargetPercent").getJsonObject(0).getJsonObject("patient").getString("id")).isEqualTo(zoe);
    assertThat(results.getJsonArray("meetingTargets")).hasSize(1);
    assertThat(results.getJsonArray("noData").stream().map(entry -> ((JsonObject) entry).getJsonObject("patient").getString("id")))
        .contains(emile);
    assertThat(report.getJsonObject("config").getJsonArray("tags")).containsExactly(TAG);
    assertError(get("/v1/clinics/" + clinicId + "/tide_report?period=14d&lastDataCutoff=2026-11-01T00:00:00Z", member.token()), 400, "tags");
    assertError(get("/v1/clinics/" + clinicId + "/tide_report?period=14d&tags=xyz&lastDataCutoff=2026-11-01T00:00:00Z", member.token()),
        400, "tags");
    assertError(get("/v1/clinics/" + clinicId + "/tide_report?period=14d&tags=" + TAG + "&lastDataCutoff=2026-11-01T00:00:00Z"
        + "&categories=worst", member.token()), 400, "categories");
  }

  @Test
  void summariesAreTheServicesAndAnswer204WhenNothingChanged() {
    String patientId = patient("Sam Summary", null);
    assertError(call(HttpMethod.POST, "/v1/patients/" + patientId + "/summary", member.token(), summary("bbbb00000001", 0.6)), 403, "");
    assertThat(call(HttpMethod.POST, "/v1/patients/" + patientId + "/summary", server, summary("bbbb00000001", 0.6)).statusCode())
        .isEqualTo(200);
    assertThat(call(HttpMethod.POST, "/v1/patients/" + patientId + "/summary", server, summary("bbbb00000001", 0.6)).statusCode())
        .isEqualTo(204);
    assertError(call(HttpMethod.POST, "/v1/patients/" + patientId + "/summary", server,
        new JsonObject().put("cgmStats", new JsonObject().put("id", "not hex"))), 400, "id");
    assertError(call(HttpMethod.DELETE, "/v1/summaries/bbbb00000001/clinics", member.token(), null), 403, "");
    assertThat(call(HttpMethod.DELETE, "/v1/summaries/bbbb00000001/clinics", server, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.DELETE, "/v1/summaries/bbbb00000001/clinics", server, null).statusCode()).isEqualTo(204);
  }
}
