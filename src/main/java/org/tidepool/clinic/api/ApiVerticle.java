package org.tidepool.clinic.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.api.auth.AuthMode;
import org.tidepool.clinic.api.auth.Authenticator;
import org.tidepool.clinic.api.auth.Authenticators;
import org.tidepool.clinic.api.authz.Authorizer;
import org.tidepool.clinic.api.authz.StoreClinicRoles;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.platform.Platform;

/**
 * The HTTP edge: a router built from the contract, where every operation is authenticated,
 * validated, authorised and sent to the store. No business rules here.
 */
public final class ApiVerticle extends VerticleBase {
  public static final String CONTRACT = "openapi/clinic.v1.yaml";
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

  private final Platform sharedPlatform;
  private MongoClient platformDb;
  private Platform platform;
  private HttpServer server;

  /** Builds its own platform ports from the configuration. */
  public ApiVerticle() {
    this.sharedPlatform = null;
  }

  private ApiVerticle(Platform platform) {
    this.sharedPlatform = platform;
  }

  /**
   * Uses the application's platform ports (one shoreline session for the whole process), which
   * stay open when the verticle stops. A factory, not a constructor, so {@code ApiVerticle::new}
   * stays unambiguous for {@code deployVerticle}.
   */
  public static ApiVerticle withPlatform(Platform platform) {
    return new ApiVerticle(platform);
  }

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    ApiConfig apiConfig = ApiConfig.from(settings);
    platform = sharedPlatform != null ? sharedPlatform : ownPlatform(settings, apiConfig);
    return Authenticators.create(vertx, settings, platform)
        .compose(authenticator -> OpenAPIContract.from(vertx, CONTRACT)
            .map(contract -> router(contract, authenticator, apiConfig)))
        .compose(router -> vertx.createHttpServer(new HttpServerOptions().setHost(apiConfig.host()).setPort(apiConfig.port()))
            .requestHandler(router)
            .listen())
        .onSuccess(listening -> {
          server = listening;
          vertx.sharedData().getLocalMap(AppState.MAP).put(AppState.HTTP_PORT, listening.actualPort());
          LOG.info("api listening on {}:{} ({} mode)", apiConfig.host(), listening.actualPort(), AuthMode.of(settings).name().toLowerCase());
        });
  }

  private Platform ownPlatform(Settings settings, ApiConfig apiConfig) {
    if (AuthMode.of(settings) == AuthMode.JWT) {
      if (apiConfig.platformMongo() == null) {
        throw new ConfigException("jwt mode keeps users in the platform database, but no '" + ApiConfig.MONGO + "' client config is set");
      }
      platformDb = MongoClient.createShared(vertx, apiConfig.platformMongo(), "platform");
    }
    return Platform.create(vertx, settings, platformDb);
  }

  private Router router(OpenAPIContract contract, Authenticator authenticator, ApiConfig apiConfig) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(apiConfig.bodyLimitBytes()));
    builder.rootHandler(new Authentication(contract, authenticator));
    Authorizer authorizer = new Authorizer(new StoreClinicRoles(vertx.eventBus(), apiConfig.storeAddress()));
    for (OpenAPIRoute route : builder.getRoutes()) {
      // authentication is ours (see Authentication); the contract declares its schemes for readers only
      route.setDoSecurity(false);
      route.addHandler(new OperationHandler(route.getOperation(), authorizer, vertx.eventBus(), apiConfig.storeAddress()));
    }
    Router router = builder.createRouter();
    router.get("/ready").handler(new Readiness(vertx, apiConfig.storeAddress()));
    router.errorHandler(400, rc -> ErrorResponses.send(rc, 400, ValidationMessages.describe(causeOf(rc.failure()))));
    for (int status : new int[] {404, 405, 413, 415}) {
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

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> {
      if (platform != null && platform != sharedPlatform) {
        platform.close();
      }
      return platformDb == null ? Future.succeededFuture() : platformDb.close();
    });
  }
}
