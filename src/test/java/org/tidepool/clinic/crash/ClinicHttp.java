package org.tidepool.clinic.crash;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking calls of the service's HTTP API, as a client outside the process makes them. */
final class ClinicHttp {
  /** A status and body; status -1 when the call got no answer (the process died under it). */
  record Answer(int status, String body) {
    boolean ok() {
      return status == 200;
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpClient http;
  private final String base;
  private final Duration timeout;

  ClinicHttp(int port) {
    this(port, HttpClient.Version.HTTP_2, Duration.ofSeconds(20));
  }

  /** With HTTP/1.1 each client thread has connections of its own (as behind a load balancer), no h2c upgrade. */
  ClinicHttp(int port, HttpClient.Version version, Duration timeout) {
    this.http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(2)).build();
    this.base = "http://127.0.0.1:" + port;
    this.timeout = timeout;
  }

  Answer createClinic(String token, String name) {
    return call("POST", "/v1/clinics", token, new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL"));
  }

  Answer listClinics(String serverToken) {
    return call("GET", "/v1/clinics?limit=100000", serverToken, null);
  }

  Answer getClinic(String token, String clinicId) {
    return call("GET", "/v1/clinics/" + clinicId, token, null);
  }

  Answer createClinician(String serverToken, String clinicId, String userId, String email, String name) {
    return call("POST", "/v1/clinics/" + clinicId + "/clinicians", serverToken, new JsonObject()
        .put("id", userId).put("email", email).put("name", name).put("roles", new JsonArray().add("CLINIC_MEMBER")));
  }

  Answer updateClinicianRoles(String adminToken, String clinicId, String userId, String email, String name, String role) {
    return call("PUT", "/v1/clinics/" + clinicId + "/clinicians/" + userId, adminToken, new JsonObject()
        .put("email", email).put("name", name).put("roles", new JsonArray().add(role)));
  }

  Answer getClinician(String token, String clinicId, String userId) {
    return call("GET", "/v1/clinics/" + clinicId + "/clinicians/" + userId, token, null);
  }

  Answer call(String method, String path, String token, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException noAnswer) {
      return new Answer(-1, noAnswer.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted");
    }
  }
}
