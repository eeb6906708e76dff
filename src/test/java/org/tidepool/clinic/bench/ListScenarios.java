package org.tidepool.clinic.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The patient-list queries the benchmark measures (and the explain test checks on real MongoDB):
 * each as the HTTP query string and as the store envelope's query values.
 */
public final class ListScenarios {
  /** The tag most patients carry (tag 0 of the seeded clinic) and the TIDE cutoff. */
  public record Scenario(String name, String path, JsonObject query) {
    /** The request target below {@code /v1/clinics/{clinicId}}. */
    public String target() {
      if (query.isEmpty()) {
        return path;
      }
      return path + "?" + query.stream().map(entry -> entry.getKey() + "=" + encode(entry.getValue() instanceof JsonArray array
          ? array.stream().map(String::valueOf).collect(Collectors.joining(",")) : String.valueOf(entry.getValue())))
          .collect(Collectors.joining("&"));
    }
  }

  private ListScenarios() {}

  public static List<Scenario> all(String tag, Instant now) {
    return List.of(
        new Scenario("ListPatients default page", "/patients", new JsonObject()),
        new Scenario("ListPatients search", "/patients", new JsonObject().put("search", "garc")),
        new Scenario("ListPatients three filters", "/patients", new JsonObject().put("tags", new JsonArray().add(tag))
            .put("cgm.timeInTargetPercent", "<0.7").put("cgm.timeCGMUsePercent", ">=0.7")),
        new Scenario("ListPatients summary sort", "/patients", new JsonObject().put("sort", "-timeInVeryLowPercent")
            .put("sortType", "cgm")),
        new Scenario("TideReport", "/tide_report", new JsonObject().put("period", "14d").put("tags", new JsonArray().add(tag))
            .put("lastDataCutoff", now.minus(Duration.ofDays(14)).toString())));
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
