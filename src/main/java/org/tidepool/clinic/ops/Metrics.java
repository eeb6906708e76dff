package org.tidepool.clinic.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.tidepool.clinic.common.Meters;

/**
 * A Vert.x whose metrics (vertx-micrometer-metrics: HTTP server and client, event bus, pools,
 * JVM) go to a Prometheus registry of its own, which the service's own meters join
 * ({@link Meters}). Labels are bounded: the HTTP route is the operation (never the raw path),
 * no remote or local addresses.
 */
public final class Metrics {
  static final Set<Label> LABELS = EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
      Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME, Label.CLIENT_NAME, Label.NAMESPACE);

  private Metrics() {}

  /** Builds a Vert.x with these options, with metrics when {@code enabled}. */
  public static Builder builder(VertxOptions options, boolean enabled) {
    if (!enabled) {
      return new Builder(Vertx.builder().with(options), null);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // one registry per Vert.x: several instances in one JVM (tests) must not share counters
        .setRegistryName("clinic-" + UUID.randomUUID())
        .setLabels(LABELS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    return new Builder(Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)), registry);
  }

  /** A Vert.x builder and the registry its metrics go to (null without metrics). */
  public record Builder(VertxBuilder vertx, PrometheusMeterRegistry registry) {
    public Vertx build() {
      return attached(vertx.build());
    }

    public Future<Vertx> buildClustered() {
      return vertx.buildClustered().map(this::attached);
    }

    private Vertx attached(Vertx built) {
      if (registry != null) {
        Meters.attach(built, registry);
      }
      return built;
    }
  }
}
