package org.tidepool.clinic.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.InFlight;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.DatabaseFaults;
import org.tidepool.clinic.mongo.IndexMigrator;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoCapabilities;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.operations.DomainModule;

/**
 * Serves the domain modules it is given, each on its domain's address (docs/design.md), and
 * {@value Catalogue#READY} on {@value Catalogue#STORE_ADDRESS}. At start-up it checks that the
 * modules serve exactly their actions of the {@link Catalogue}, brings their indexes up to date,
 * settles change records left pending, and finishes (or undoes) operations a crash cut short.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);
  private static final long REPAIR_PERIOD_MS = ChangeRecorder.STALE_AFTER.toMillis();

  private final DomainWiring wiring;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final InFlight inFlight = new InFlight();
  private MongoClient mongo;
  private long repairTimer = -1;
  private long shutdownTimeoutMs;

  public StoreVerticle(DomainWiring wiring) {
    this.wiring = wiring;
  }

  @Override
  public Future<?> start() {
    StoreConfig config = StoreConfig.from(new Settings(config()));
    shutdownTimeoutMs = new Settings(config()).integer("SHUTDOWN_TIMEOUT_MS");
    JsonObject mongoConfig = config().getJsonObject("mongo", new JsonObject()).copy().put("db_name", config.databaseName());
    mongo = MongoClient.createShared(vertx, mongoConfig, "clinic");
    ChangeRecorder recorder = new ChangeRecorder(vertx, mongo, config.databaseName());
    ClinicLock locks = new ClinicLock(vertx);
    IntentLog intents = new IntentLog(vertx, mongo, locks, config.haltAt());
    List<DomainModule> modules = wiring.modules(new StoreResources(vertx, mongo, recorder, config, locks, intents));
    modules.forEach(StoreVerticle::checkAgainstCatalogue);
    List<IndexSpec> indexes = modules.stream().flatMap(module -> module.indexes().stream()).toList();

    return MongoCapabilities.probe(mongo)
        .compose(capabilities -> new IndexMigrator(mongo, capabilities).ensure(indexes).compose(v -> migrateData(modules, capabilities)))
        .compose(v -> recorder.repair(true))
        // operations a crash cut short are finished (or undone) before the first request is served
        .compose(repaired -> intents.resumePending(true))
        .compose(resumed -> {
          for (DomainModule module : modules) {
            consumers.add(Actions.serve(vertx, module.domain().address(), asUnavailableWhenDown(module.handlers().asMap()), inFlight));
          }
          consumers.add(Actions.serve(vertx, Catalogue.STORE_ADDRESS, Map.of(Catalogue.READY,
              message -> mongo.runCommand("ping", new JsonObject().put("ping", 1)).map(pong -> new JsonObject()))));
          scheduleMaintenance(recorder, intents);
          return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
        });
  }

  /** The modules' data migrations, one after the other. */
  private static Future<Void> migrateData(List<DomainModule> modules, MongoCapabilities capabilities) {
    Future<Void> chain = Future.succeededFuture();
    for (DomainModule module : modules) {
      chain = chain.compose(v -> module.migrateData(capabilities));
    }
    return chain;
  }

  /** Every 30 s, the pending change records and unfinished operations of crashed writers; never two rounds at once. */
  private void scheduleMaintenance(ChangeRecorder recorder, IntentLog intents) {
    repairTimer = vertx.setTimer(REPAIR_PERIOD_MS, id -> inFlight.track(recorder.repair(false)
        .onFailure(failure -> LOG.warn("repair of pending change records failed: {}", failure.toString()))
        .transform(repaired -> intents.resumePending(false))
        .onFailure(failure -> LOG.warn("resumption of unfinished operations failed: {}", failure.toString())))
        .onComplete(done -> {
          if (repairTimer >= 0) {
            scheduleMaintenance(recorder, intents);
          }
        }));
  }

  /** A module serves exactly the operations and internal actions the catalogue gives its domain. */
  private static void checkAgainstCatalogue(DomainModule module) {
    Set<String> served = new TreeSet<>(module.handlers().asMap().keySet());
    Set<String> listed = new TreeSet<>(Catalogue.actionsOf(module.domain()));
    if (!served.equals(listed)) {
      Set<String> missing = new TreeSet<>(listed);
      missing.removeAll(served);
      Set<String> unlisted = new TreeSet<>(served);
      unlisted.removeAll(listed);
      throw new IllegalStateException("domain " + module.domain().name() + " does not serve its catalogue actions: "
          + "without a handler " + missing + ", not in the catalogue " + unlisted);
    }
  }

  private static Map<String, Function<Message<JsonObject>, Future<?>>> asUnavailableWhenDown(
      Map<String, Function<JsonObject, Future<?>>> handlers) {
    Map<String, Function<Message<JsonObject>, Future<?>>> served = new LinkedHashMap<>();
    handlers.forEach((action, handler) -> served.put(action, message -> {
      Future<?> result;
      try {
        result = handler.apply(message.body() == null ? new JsonObject() : message.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result.recover(DatabaseFaults::asUnavailable);
    }));
    return served;
  }

  @Override
  public Future<?> stop() {
    if (repairTimer >= 0) {
      vertx.cancelTimer(repairTimer);
      repairTimer = -1;
    }
    // no new requests; the ones being handled finish (within the stop's deadline) before the
    // database client closes under them
    Future<?> unregistered = Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
    return unregistered.eventually(() -> inFlight.drained(vertx, Stopping.remainingMs(vertx, shutdownTimeoutMs)))
        .eventually(() -> {
          if (inFlight.running() > 0) {
            LOG.warn("stopping with {} store request(s) unfinished", inFlight.running());
          }
          return mongo == null ? Future.succeededFuture() : mongo.close();
        });
  }
}
