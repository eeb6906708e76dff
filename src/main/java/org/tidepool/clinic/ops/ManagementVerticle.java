package org.tidepool.clinic.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.AppState;
import org.tidepool.clinic.config.Settings;

/**
 * A process without the api role (a worker: store, cdc, mail) still answers liveness, readiness
 * and the metrics scrape: on {@code HTTP_HOST}:{@code HTTP_PORT}, as upstream's clinic-worker
 * serves its health on :8080, so probes and scrape configuration are the same for every process.
 */
public final class ManagementVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementVerticle.class);

  private HttpServer server;
  private OpsRoutes routes;

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    Router router = Router.router(vertx);
    routes = OpsRoutes.mount(vertx, settings, router);
    int port = settings.port("HTTP_PORT");
    return vertx.createHttpServer().requestHandler(router).listen(port, settings.required("HTTP_HOST"))
        .onSuccess(listening -> {
          server = listening;
          vertx.sharedData().getLocalMap(AppState.MAP).put(AppState.HTTP_PORT, listening.actualPort());
          LOG.info("management server (no api role) on port {}: {}, {}, {}", listening.actualPort(),
              OpsRoutes.LIVENESS, OpsRoutes.READINESS, OpsRoutes.METRICS);
        });
  }

  @Override
  public Future<?> stop() {
    return (server == null ? Future.<Void>succeededFuture() : server.close()).eventually(routes::close);
  }
}
