package org.tidepool.clinic.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code GET /metrics} in the Prometheus text format, read as series (name, labels, value). */
final class Scrape {
  record Series(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  final List<Series> series = new ArrayList<>();
  final String text;

  private Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      Matcher matcher = LINE.matcher(line);
      if (line.startsWith("#") || !matcher.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (matcher.group(2) != null) {
        Matcher label = LABEL.matcher(matcher.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      series.add(new Series(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
    }
  }

  static Scrape of(WebClient http, int port) {
    HttpResponse<Buffer> response = http.get(port, "127.0.0.1", "/metrics").send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    return new Scrape(response.bodyAsString());
  }

  /** The series of this name whose labels include these. */
  List<Series> find(String name, Map<String, String> labels) {
    return series.stream().filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** The sum of those series; 0 when there is none (a counter not yet incremented). */
  double value(String name, Map<String, String> labels) {
    return find(name, labels).stream().mapToDouble(Series::value).sum();
  }

  boolean has(String name) {
    return series.stream().anyMatch(s -> s.name().equals(name));
  }
}
