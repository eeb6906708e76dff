package org.tidepool.clinic.migration;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.InFlight;
import org.tidepool.clinic.common.Meters;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.mail.MailRequests;
import org.tidepool.clinic.migrations.Migration;
import org.tidepool.clinic.mongo.Lease;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.operations.StoreCalls;
import org.tidepool.clinic.platform.LegacyClinicians;
import org.tidepool.clinic.platform.ProfileStore;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * Runs legacy-clinic migrations. The cdc consumer hands over each inserted migration
 * ({@link MigrationAddresses#RUN}); the reply only says it was accepted. The migration document
 * is the durable record: at start-up and every {@code MIGRATION_SWEEP_INTERVAL_MS} the verticle
 * also takes up every PENDING or RUNNING migration that no process runs, so a lost hand-over or
 * a crash loses nothing. A migration runs only under its {@link Lease} (collection
 * {@value #LEASES}, one per migration), renewed while it runs, so no two processes run it at
 * once; one that stops gives its leases up for the others to continue at once.
 */
public class MigrationVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MigrationVerticle.class);
  static final String LEASES = "migration_leases";

  private final LegacyClinicians legacy;
  private final ProfileStore profiles;
  private final UserDirectory users;
  private MigrationConfig config;
  private MongoClient mongo;
  private Migrations migrations;
  private MigratedPatients finished;
  private RateLimiter limiter;
  private MigrationMeters meters;
  private MigrationRun.Ports ports;
  private MessageConsumer<Object> consumer;
  /** The migrations this verticle runs or tries to take up; read by the gauge from the scraping thread. */
  private final Map<String, Lease> running = new ConcurrentHashMap<>();
  private final InFlight runs = new InFlight();
  private long sweepTimer = -1;
  private long leaseTimer = -1;
  private long shutdownTimeoutMs;
  private boolean stopped;

  public MigrationVerticle(LegacyClinicians legacy, ProfileStore profiles, UserDirectory users) {
    this.legacy = legacy;
    this.profiles = profiles;
    this.users = users;
  }

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    config = MigrationConfig.from(settings);
    shutdownTimeoutMs = settings.integer("SHUTDOWN_TIMEOUT_MS");
    mongo = MongoClient.createShared(vertx, config().getJsonObject("mongo"), "clinic");
    migrations = new Migrations(mongo);
    finished = new MigratedPatients(mongo);
    limiter = new RateLimiter(vertx, config.patientsPerSecond());
    meters = new MigrationMeters(Meters.of(vertx), () -> (int) running.values().stream().filter(Lease::held).count());
    ports = new MigrationRun.Ports(new StoreCalls(vertx.eventBus()), new MailRequests(vertx.eventBus()), legacy, profiles, users);
    Map<String, Function<Message<Object>, Future<?>>> actions = Map.of(MigrationAddresses.RUN, this::accept);
    consumer = Actions.serve(vertx, MigrationAddresses.ADDRESS, actions);
    return finished.createIndexes()
        .compose(indexed -> consumer.completion())
        .onSuccess(registered -> {
          sweepTimer = vertx.setPeriodic(config.sweepIntervalMs(), id -> sweep());
          leaseTimer = vertx.setPeriodic(config.leaseRenewalMs(), id -> renewLeases());
          sweep();
        });
  }

  /**
   * Takes no further migration and patient, lets the patients in flight finish (within the
   * stop's deadline), then gives the leases up, so that another process continues at once.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(leaseTimer);
    return consumer.unregister()
        .eventually(() -> runs.drained(vertx, Stopping.remainingMs(vertx, shutdownTimeoutMs)))
        .eventually(() -> Future.join(new ArrayList<>(running.values()).stream().map(Lease::release).toList()))
        .eventually(() -> mongo.close())
        .andThen(closed -> meters.close());
  }

  private Future<JsonObject> accept(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !MongoJson.isObjectId(body.getString("migrationId"))) {
      return Future.failedFuture(ServiceError.badRequest("migrationId is required and must be an id"));
    }
    takeOver(body.getString("migrationId"));
    return Future.succeededFuture(new JsonObject().put("accepted", true));
  }

  private void sweep() {
    if (stopped) {
      return;
    }
    migrations.unfinished()
        .onSuccess(found -> found.forEach(migration -> takeOver(migration.id())))
        .onFailure(failure -> log.warn("unfinished migrations not read: {}", failure.toString()));
  }

  /** Runs the migration here if no process does and it is still to run; else does nothing. */
  private void takeOver(String migrationId) {
    if (stopped || running.containsKey(migrationId)) {
      return;
    }
    Lease lease = new Lease(mongo, LEASES, migrationId, config.leaseTtlMs());
    running.put(migrationId, lease);
    runs.track(lease.renew().compose(held -> held ? runIfUnfinished(migrationId, lease) : Future.succeededFuture()))
        .onFailure(failure -> log.warn("migration {} stopped, to be continued: {}", migrationId, failure.toString()))
        .eventually(() -> lease.held() ? lease.release() : Future.succeededFuture())
        .onComplete(released -> running.remove(migrationId));
  }

  private Future<Void> runIfUnfinished(String migrationId, Lease lease) {
    return migrations.find(migrationId).compose(migration -> {
      if (!Migrations.isUnfinished(migration)) {
        return Future.succeededFuture();
      }
      return new MigrationRun(vertx, migration, ports, finished, limiter, config, meters, () -> !stopped && lease.held()).run()
          .recover(failure -> givenUp(migration, failure) ? endFailed(migration, failure) : Future.failedFuture(failure))
          .onSuccess(status -> {
            log.info("migration {} {}", migrationId, status);
            if (status == Migration.Status.COMPLETED) {
              meters.completed();
            } else {
              meters.failed();
            }
          })
          .mapEmpty();
    });
  }

  /** Whether a run that failed for a reason that may pass is the last: the migration is older than the window. */
  private boolean givenUp(Migration migration, Throwable failure) {
    return !(failure instanceof MigrationRun.LeaseLost) && !stopped
        && Duration.between(migration.createdTime(), Instant.now()).toMillis() >= config.giveUpAfterMs();
  }

  private Future<Migration.Status> endFailed(Migration migration, Throwable failure) {
    String reason = "still failing " + Duration.ofMillis(config.giveUpAfterMs()) + " after it was created: "
        + (failure.getMessage() != null ? failure.getMessage() : failure.toString());
    log.error("migration {} of legacy clinician {} given up: {}", migration.id(), migration.userId(), reason);
    return ports.store().call("UpdateMigration", new JsonObject().put("clinicId", migration.clinicId()).put("userId", migration.userId()),
            new JsonObject().put("status", Migration.Status.FAILED.name()).put("failureReason", reason))
        .map(Migration.Status.FAILED);
  }

  private void renewLeases() {
    running.values().forEach(lease -> {
      if (lease.held()) {
        lease.renew().onFailure(failure -> log.warn("migration lease {} not renewed: {}", lease.id(), failure.toString()));
      }
    });
  }
}
