package org.tidepool.clinic.store;

import static org.tidepool.clinic.store.StoreAddresses.*;

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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.clinicians.ClinicMembershipLock;
import org.tidepool.clinic.clinicians.ClinicianRepository;
import org.tidepool.clinic.clinicians.ClinicianService;
import org.tidepool.clinic.clinics.ClinicPatients;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.deletions.DeletionArchive;
import org.tidepool.clinic.mongo.DatabaseFaults;
import org.tidepool.clinic.mongo.IndexMigrator;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoCapabilities;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * Serves the clinics and clinicians operations on {@value StoreAddresses#ADDRESS}: one handler
 * per operationId (docs/design.md), plus the internal actions of the api and the cdc handlers.
 * At start-up it brings the indexes up to date and settles change records left pending.
 */
public final class StoreVerticle extends VerticleBase {
  /** The contract operationIds this verticle serves. */
  public static final List<String> ACTIONS = List.of(
      LIST_CLINICS, CREATE_CLINIC, GET_CLINIC_BY_SHARE_CODE, GET_CLINIC, UPDATE_CLINIC, DELETE_CLINIC,
      LIST_CLINICIANS, CREATE_CLINICIAN, GET_CLINICIAN, UPDATE_CLINICIAN, DELETE_CLINICIAN,
      LIST_CLINICS_FOR_CLINICIAN, LIST_ALL_CLINICIANS, ADD_SERVICE_ACCOUNT,
      GET_INVITED_CLINICIAN, ASSOCIATE_CLINICIAN_TO_USER, DELETE_INVITED_CLINICIAN);
  /** Actions that are not contract operations. */
  public static final List<String> INTERNAL_ACTIONS = List.of(CALLER_CLINICIAN_ROLES, CLINICIAN_NOTICE, READY);

  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);
  private static final long REPAIR_PERIOD_MS = ChangeRecorder.STALE_AFTER.toMillis();

  private final UserDirectory users;
  private final ServiceAccounts serviceAccounts;
  private MongoClient mongo;
  private MessageConsumer<JsonObject> consumer;
  private long repairTimer = -1;

  public StoreVerticle(UserDirectory users, ServiceAccounts serviceAccounts) {
    this.users = users;
    this.serviceAccounts = serviceAccounts;
  }

  @Override
  public Future<?> start() {
    StoreConfig config = StoreConfig.from(new Settings(config()));
    JsonObject mongoConfig = config().getJsonObject("mongo", new JsonObject()).copy().put("db_name", config.databaseName());
    mongo = MongoClient.createShared(vertx, mongoConfig, "clinic");
    ChangeRecorder recorder = new ChangeRecorder(vertx, mongo, config.databaseName());
    ClinicRepository clinicRepository = new ClinicRepository(mongo, recorder);
    ClinicianRepository clinicianRepository = new ClinicianRepository(mongo, recorder);
    DeletionArchive archive = new DeletionArchive(mongo);
    ClinicMembershipLock membership = new ClinicMembershipLock(vertx);
    ClinicianService clinicians = new ClinicianService(clinicianRepository, clinicRepository, archive, users, serviceAccounts, membership);
    ClinicService clinics = new ClinicService(clinicRepository, clinicians,
        new ClinicPatients(mongo, config.demoPatientUserId()), archive, users, config.demoPatientUserId().orElse(null), membership);

    List<IndexSpec> indexes = new ArrayList<>();
    indexes.addAll(ClinicRepository.indexes());
    indexes.addAll(ClinicianRepository.indexes());
    indexes.addAll(DeletionArchive.indexes());

    return MongoCapabilities.probe(mongo)
        .compose(capabilities -> new IndexMigrator(mongo, capabilities).ensure(indexes))
        .compose(v -> recorder.repair(true))
        .compose(repaired -> {
          consumer = Actions.serve(vertx.eventBus(), ADDRESS, handlers(clinics, clinicians));
          repairTimer = vertx.setPeriodic(REPAIR_PERIOD_MS, id -> recorder.repair(false)
              .onFailure(failure -> LOG.warn("repair of pending change records failed: {}", failure.toString())));
          return consumer.completion();
        });
  }

  @Override
  public Future<?> stop() {
    if (repairTimer >= 0) {
      vertx.cancelTimer(repairTimer);
    }
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.eventually(() -> mongo == null ? Future.succeededFuture() : mongo.close());
  }

  private Map<String, Function<Message<JsonObject>, Future<?>>> handlers(ClinicService clinics, ClinicianService clinicians) {
    Map<String, Function<Message<JsonObject>, Future<?>>> handlers = new LinkedHashMap<>();
    operation(handlers, LIST_CLINICS, clinics::list);
    operation(handlers, CREATE_CLINIC, clinics::create);
    operation(handlers, GET_CLINIC_BY_SHARE_CODE, clinics::getByShareCode);
    operation(handlers, GET_CLINIC, clinics::get);
    operation(handlers, UPDATE_CLINIC, clinics::update);
    operation(handlers, DELETE_CLINIC, clinics::delete);
    operation(handlers, LIST_CLINICIANS, clinicians::list);
    operation(handlers, CREATE_CLINICIAN, clinicians::create);
    operation(handlers, GET_CLINICIAN, clinicians::get);
    operation(handlers, UPDATE_CLINICIAN, clinicians::update);
    operation(handlers, DELETE_CLINICIAN, clinicians::delete);
    operation(handlers, LIST_CLINICS_FOR_CLINICIAN, clinicians::listClinicsForClinician);
    operation(handlers, LIST_ALL_CLINICIANS, clinicians::listAll);
    operation(handlers, ADD_SERVICE_ACCOUNT, clinicians::addServiceAccount);
    operation(handlers, GET_INVITED_CLINICIAN, clinicians::getInvited);
    operation(handlers, ASSOCIATE_CLINICIAN_TO_USER, clinicians::associate);
    operation(handlers, DELETE_INVITED_CLINICIAN, clinicians::deleteInvited);
    handlers.put(CALLER_CLINICIAN_ROLES, message -> clinicians.callerRoles(body(message)));
    handlers.put(CLINICIAN_NOTICE, message -> clinicians.notice(body(message)));
    handlers.put(READY, message -> mongo.runCommand("ping", new JsonObject().put("ping", 1)).map(pong -> new JsonObject()));
    handlers.replaceAll((action, handler) -> message -> handler.apply(message).recover(DatabaseFaults::asUnavailable));
    return handlers;
  }

  private static void operation(Map<String, Function<Message<JsonObject>, Future<?>>> handlers, String action,
                                Function<StoreRequest, Future<?>> operation) {
    handlers.put(action, message -> operation.apply(new StoreRequest(body(message))));
  }

  private static JsonObject body(Message<JsonObject> message) {
    return message.body() == null ? new JsonObject() : message.body();
  }
}
