package org.tidepool.clinic.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.api.auth.AuthMode;
import org.tidepool.clinic.api.auth.Authenticator;
import org.tidepool.clinic.api.auth.Authenticators;
import org.tidepool.clinic.api.authz.Authorizer;
import org.tidepool.clinic.api.authz.StoreClinicRoles;
import org.tidepool.clinic.common.AppState;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.ops.OpsRoutes;
import org.tidepool.clinic.platform.Platform;

/**
 * The HTTP edge: a router built from the contract, where every operation is authenticated,
 * validated, authorised and sent to the store. No business rules here.
 */
public final class ApiVerticle extends VerticleBase {
  public static final String CONTRACT = "openapi/clinic.v1.yaml";
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  private static final int SHARED_RANDOM_PORT = -1;

  private final Platform platform;
  private HttpServer server;
  private OpsRoutes opsRoutes;
  private long shutdownTimeoutMs;
  static final long CONNECTION_HANDOFF_MS = 1_000;

  /**
   * @param platform the application's platform ports (one shoreline session and server-token
   *     cache for all api instances); they stay open when the verticle stops
   */
  public ApiVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    ApiConfig apiConfig = ApiConfig.from(settings);
    shutdownTimeoutMs = settings.integer("SHUTDOWN_TIMEOUT_MS");
    return Authenticators.create(vertx, settings, platform)
        .compose(authenticator -> OpenAPIContract.from(vertx, CONTRACT)
            .compose(contract -> ContractRoutes.load(vertx)
                .map(contractRoutes -> router(contract, authenticator, apiConfig, settings, contractRoutes))))
        .compose(router -> {
          HttpServerOptions options = new HttpServerOptions().setHost(apiConfig.host()).setPort(listenPort(apiConfig));
          return vertx.createHttpServer(options)
              .invalidRequestHandler(new InvalidRequests(vertx, options))
              .requestHandler(router)
              .listen();
        })
        .onSuccess(listening -> {
          server = listening;
          vertx.sharedData().getLocalMap(AppState.MAP).put(AppState.HTTP_PORT, listening.actualPort());
          LOG.info("api listening on {}:{} ({} mode)", apiConfig.host(), listening.actualPort(), AuthMode.of(settings).name().toLowerCase());
        });
  }

  /**
   * Port 0 would give every api instance a random port of its own; a negative port makes Vert.x
   * pick one random port that all instances share, as they share a configured one.
   */
  private static int listenPort(ApiConfig apiConfig) {
    return apiConfig.port() == 0 ? SHARED_RANDOM_PORT : apiConfig.port();
  }

  private Router router(OpenAPIContract contract, Authenticator authenticator, ApiConfig apiConfig, Settings settings,
                        ContractRoutes contractRoutes) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    builder.rootHandler(new AccessLog());
    builder.rootHandler(new RequestTargetCheck());
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(apiConfig.bodyLimitBytes()));
    builder.rootHandler(this::closeConnectionsWhileStopping);
    Authentication authentication = new Authentication(authenticator);
    RequestValidator validator = RequestValidator.create(vertx, new ReusedSchemaValidators(contract));
    RequestExtractor extractor = new ParametersDecodedOnce();
    Authorizer authorizer = new Authorizer(new StoreClinicRoles(vertx.eventBus()));
    for (OpenAPIRoute route : builder.getRoutes()) {
      // authentication is ours, and comes before validation on the route the router matched
      // (whatever path form it accepts, e.g. a trailing slash); the contract declares its
      // schemes for readers only
      route.setDoSecurity(false).setDoValidation(false);
      route.addHandler(AccessLog.route(route.getOperation().getOpenAPIPath(), route.getOperation().getOperationId()))
          .addHandler(authentication)
          .addHandler(new RequestValidation(route.getOperation(), validator, extractor, authorizer))
          .addHandler(new OperationHandler(route.getOperation(), vertx.eventBus()));
    }
    Router router = builder.createRouter();
    OperationRoutes.nameByOperation(router, contract);
    opsRoutes = OpsRoutes.mount(vertx, settings, router);
    contractRoutes.mount(router);
    router.errorHandler(400, rc -> ErrorResponses.send(rc, 400, ValidationMessages.describe(causeOf(rc.failure()))));
    router.errorHandler(413, rc -> ErrorResponses.send(rc, 413, "request body too large: at most " + apiConfig.bodyLimitBytes() + " bytes"));
    for (int status : new int[] {404, 405, 415}) {
      router.errorHandler(status, rc -> ErrorResponses.send(rc, status, null));
    }
    router.errorHandler(500, rc -> {
      LOG.error("{} {} failed", rc.request().method(), rc.request().path(), rc.failure());
      ErrorResponses.send(rc, 500, null);
    });
    return router;
  }

  private static Throwable causeOf(Throwable failure) {
    return failure instanceof HttpException http && http.getCause() != null ? http.getCause() : failure;
  }

  /**
   * During a stop a request that came on an open connection is still served (the store is up
   * until the api has drained), and its connection closed after the answer, so that the drain
   * ends instead of being fed by keep-alive clients.
   */
  private void closeConnectionsWhileStopping(RoutingContext rc) {
    if (Stopping.inProgress(vertx)) {
      rc.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    rc.next();
  }

  /**
   * Stops accepting connections, lets the requests in flight finish (within what is left of the
   * stop's deadline, {@code SHUTDOWN_TIMEOUT_MS}), then closes the connections.
   */
  /**
   * Before the server stops listening, a moment in which every answer says {@code Connection:
   * close} ({@link #closeConnectionsWhileStopping}): the clients of busy keep-alive connections
   * leave them after their answer. Without it the shutdown closes a connection that looks idle
   * while its client's next request is already on the way, and that request is lost unanswered.
   */
  private Future<Void> handOffConnections() {
    long wait = Math.min(CONNECTION_HANDOFF_MS, Stopping.remainingMs(vertx, shutdownTimeoutMs) / 2);
    return !Stopping.inProgress(vertx) || wait <= 0 ? Future.succeededFuture() : vertx.timer(wait).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    Future<Void> drained = server == null ? Future.succeededFuture() : handOffConnections()
        .compose(v -> server.shutdown(Stopping.remainingMs(vertx, shutdownTimeoutMs), TimeUnit.MILLISECONDS));
    return drained.eventually(() -> opsRoutes == null ? Future.succeededFuture() : opsRoutes.close());
  }
}
