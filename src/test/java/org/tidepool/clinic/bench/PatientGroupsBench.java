package org.tidepool.clinic.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tidepool.clinic.testing.TestStack;

/**
 * What tags and sites cost on the embedded stack as a clinic grows: a patient create (which
 * recounts the clinic's patients per tag and site) at the start and at the end of seeding N
 * patients, GetClinic with the counts (no scan), and the bulk operations over all of them.
 *
 * <p>Run: {@code mvn -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.tidepool.clinic.bench.PatientGroupsBench [-Dexec.args="patients"]}
 */
public final class PatientGroupsBench {
  public static void main(String[] args) {
    int patients = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    try (TestStack stack = TestStack.start(new JsonObject().put("ROLES", "api,store"))) {
      String admin = stack.userToken("bench0admin", "admin@bench.test", "Bench Admin");
      String server = stack.serverToken();
      String clinicUri = "/v1/clinics/" + ok(stack, HttpMethod.POST, "/v1/clinics", admin,
          new JsonObject().put("name", "Groups Bench").put("preferredBgUnits", "mg/dL")).getString("id");
      // past the default tier's limit of 250 patients
      ok(stack, HttpMethod.POST, clinicUri + "/tier", server, new JsonObject().put("tier", "tier0200"));
      String tag = ok(stack, HttpMethod.POST, clinicUri + "/patient_tags", admin, new JsonObject().put("name", "Bench")).getString("id");
      String main = ok(stack, HttpMethod.POST, clinicUri + "/sites", admin, new JsonObject().put("name", "Main")).getString("id");
      String annex = ok(stack, HttpMethod.POST, clinicUri + "/sites", admin, new JsonObject().put("name", "Annex")).getString("id");
      List<Long> creates = new ArrayList<>();
      for (int i = 0; i < patients; i++) {
        JsonObject body = new JsonObject().put("fullName", "Patient " + i).put("birthDate", "2001-02-03")
            .put("tags", new JsonArray().add(tag)).put("sites", new JsonArray().add(new JsonObject().put("id", i % 2 == 0 ? main : annex)));
        long started = System.nanoTime();
        ok(stack, HttpMethod.POST, clinicUri + "/patients", admin, body);
        creates.add(System.nanoTime() - started);
      }
      List<Long> reads = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long started = System.nanoTime();
        ok(stack, HttpMethod.GET, clinicUri, admin, null);
        reads.add(System.nanoTime() - started);
      }
      int sample = Math.min(100, patients / 2);
      System.out.printf("%d patients, embedded MongoDB%n", patients);
      System.out.printf("CreatePatientAccount p50, first %d: %.1f ms; last %d: %.1f ms%n", sample,
          p50(creates.subList(0, sample)), sample, p50(creates.subList(patients - sample, patients)));
      System.out.printf("GetClinic (counts included) p50 of 200: %.1f ms%n", p50(reads));
      System.out.printf("DeletePatientTagFromClinicPatients, all %d: %.0f ms%n", patients,
          timed(() -> ok(stack, HttpMethod.POST, clinicUri + "/patients/delete_tag/" + tag, admin, null)));
      System.out.printf("AssignPatientTagToClinicPatients, all %d: %.0f ms%n", patients,
          timed(() -> ok(stack, HttpMethod.POST, clinicUri + "/patients/assign_tag/" + tag, admin, null)));
      System.out.printf("UpdateSite (rename, %d copies): %.0f ms%n", patients / 2,
          timed(() -> ok(stack, HttpMethod.PUT, clinicUri + "/sites/" + annex, admin, new JsonObject().put("name", "East Annex"))));
      System.out.printf("MergeSite (%d patients moved): %.0f ms%n", patients / 2,
          timed(() -> ok(stack, HttpMethod.POST, clinicUri + "/sites/" + main + "/merge", server, new JsonObject().put("id", annex))));
      System.out.printf("ConvertPatientTagToSite (%d patients): %.0f ms%n", patients,
          timed(() -> ok(stack, HttpMethod.POST, clinicUri + "/patient_tags/" + tag + "/site", server, null)));
    }
  }

  private static double timed(Runnable call) {
    long started = System.nanoTime();
    call.run();
    return (System.nanoTime() - started) / 1e6;
  }

  private static double p50(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2) / 1e6;
  }

  private static JsonObject ok(TestStack stack, HttpMethod method, String uri, String token, JsonObject body) {
    var request = stack.http().request(method, uri).bearerTokenAuthentication(token);
    HttpResponse<Buffer> response = (body == null ? request.send() : request.sendJson(body)).await();
    if (response.statusCode() != 200) {
      throw new IllegalStateException(method + " " + uri + " answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
  }
}
