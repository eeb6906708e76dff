package org.tidepool.clinic.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.tidepool.clinic.common.Meters;
import org.tidepool.clinic.config.Settings;

/**
 * The unauthenticated routes of operations, on the api's port or, in a process without the api
 * role, on the management server's: {@code GET /status} (liveness, as upstream's clinic-worker:
 * 200 while the process's event loop answers), {@code GET /ready} ({@link Readiness}) and
 * {@code GET /metrics} (Prometheus text format; only with {@code METRICS_ENABLED}).
 */
public final class OpsRoutes {
  public static final String LIVENESS = "/status";
  public static final String READINESS = "/ready";
  public static final String METRICS = "/metrics";

  private final Readiness readiness;

  private OpsRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  public static OpsRoutes mount(Vertx vertx, Settings settings, Router router) {
    HealthChecks liveness = HealthChecks.create(vertx).register("event-loop", promise -> promise.complete(Status.OK()));
    router.get(LIVENESS).handler(HealthCheckHandler.createWithHealthChecks(liveness));
    Readiness readiness = Readiness.create(vertx, settings);
    router.get(READINESS).handler(readiness);
    MeterRegistry registry = Meters.of(vertx);
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      router.get(METRICS).handler(PrometheusScrapingHandler.create(prometheus));
    }
    return new OpsRoutes(readiness);
  }

  public Future<Void> close() {
    return readiness.close();
  }
}
