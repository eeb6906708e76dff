package org.tidepool.clinic.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.AppState;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.ConfigLoader;
import org.tidepool.clinic.config.LogFormat;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.infra.EmbeddedSmtp;
import org.tidepool.clinic.ops.ManagementVerticle;
import org.tidepool.clinic.logging.RequestIds;
import org.tidepool.clinic.platform.Platform;

/**
 * The whole service in one process: configuration, the embedded servers that are not configured
 * elsewhere, and the verticles of {@code ROLES}, deployed in dependency order.
 */
public final class ClinicApplication {
  private static final Logger LOG = LoggerFactory.getLogger(ClinicApplication.class);

  private final Vertx vertx;
  private final EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure();
  private final List<String> deployments = new ArrayList<>();
  private JsonObject config;
  private long shutdownTimeoutMs;
  private MongoClient platformDatabase;
  private Platform platform;

  private ClinicApplication(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Loads the configuration (with these overrides on top), then starts. */
  public static Future<ClinicApplication> start(Vertx vertx, JsonObject overrides) {
    return ConfigLoader.load(vertx, overrides).compose(raw -> start(vertx, new Settings(raw)));
  }

  /** Starts with configuration already loaded by {@link ConfigLoader}. */
  public static Future<ClinicApplication> start(Vertx vertx, Settings settings) {
    ClinicApplication app = new ClinicApplication(vertx);
    return app.startWith(settings)
        .recover(failure -> app.stop().transform(ignored -> Future.failedFuture(failure)))
        .map(app);
  }

  private Future<Void> startWith(Settings settings) {
    Set<Role> roles = roles(settings);
    settings.port("HTTP_PORT");
    shutdownTimeoutMs = settings.integer("SHUTDOWN_TIMEOUT_MS");
    LogFormat.check(settings);
    RequestIds.carryOnEventBus(vertx);
    return vertx.executeBlocking(() -> {
          Files.createDirectories(Path.of(settings.required("DATA_DIR")));
          return infrastructure.startFor(settings, roles);
        })
        .compose(resolved -> {
          config = resolved;
          Settings resolvedSettings = new Settings(config);
          platformDatabase = MongoClient.createShared(vertx,
              config.getJsonObject("mongo").copy().put("db_name", settings.required("PLATFORM_DATABASE_NAME")), "platform");
          platform = Platform.create(vertx, resolvedSettings, platformDatabase);
          Verticles verticles = new Verticles(vertx, resolvedSettings, platform);
          // without the api, a management server answers probes and scrapes; deployed first, it
          // stops last, so readiness answers 503 (not a refused connection) while the rest drains
          Future<Void> chain = roles.contains(Role.API) ? Future.succeededFuture()
              : vertx.deployVerticle(new ManagementVerticle(), new DeploymentOptions().setConfig(config))
                  .onSuccess(deployments::add).mapEmpty();
          for (Role role : roles) {
            chain = chain.compose(done -> verticles.deploy(role, new DeploymentOptions().setConfig(config))
                .onSuccess(deployments::addAll)
                .mapEmpty());
          }
          return chain;
        })
        .onSuccess(done -> {
          appMap().put(AppState.DEPLOYED, true);
          LOG.info("clinic service started: roles {}, http port {}", roles, httpPort());
        });
  }

  private static Set<Role> roles(Settings settings) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    settings.list("ROLES").forEach(name -> roles.add(Role.of(name)));
    return roles;
  }

  /**
   * Readiness answers 503 at once; then the verticles are undeployed in reverse order (api,
   * cdc-relay, cdc-consumer, mail, store: each after everything that calls it), each letting its
   * work in flight finish within what is left of {@code SHUTDOWN_TIMEOUT_MS}; then the embedded
   * servers stop.
   */
  public Future<Void> stop() {
    Stopping.begin(vertx, shutdownTimeoutMs);
    appMap().put(AppState.DEPLOYED, false);
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(done -> vertx.undeploy(id).recover(failure -> {
        LOG.warn("undeploying {} failed", id, failure);
        return Future.succeededFuture();
      }));
    }
    deployments.clear();
    return chain
        .compose(done -> {
          if (platform != null) {
            platform.close();
          }
          return platformDatabase == null ? Future.<Void>succeededFuture() : platformDatabase.close();
        })
        .compose(done -> vertx.<Void>executeBlocking(() -> {
          infrastructure.close();
          return null;
        }))
        .andThen(done -> Stopping.end(vertx));
  }

  public JsonObject config() {
    return config;
  }

  /** The port the api listens on (the real one when HTTP_PORT is 0), or -1 without the api role. */
  public int httpPort() {
    Object port = appMap().get(AppState.HTTP_PORT);
    return port instanceof Integer p ? p : -1;
  }

  /** The embedded Kafka broker, or null when Kafka is configured elsewhere. */
  public EmbeddedKafka embeddedKafka() {
    return infrastructure.kafka();
  }

  /** The embedded SMTP server, or null when SMTP is configured elsewhere. */
  public EmbeddedSmtp embeddedSmtp() {
    return infrastructure.smtp();
  }

  private LocalMap<String, Object> appMap() {
    return vertx.sharedData().getLocalMap(AppState.MAP);
  }
}
