package org.tidepool.clinic.store;

import io.vertx.core.DeploymentOptions;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.testing.PackagedDefaults;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.tidepool.clinic.app.Domains;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.platform.EmbeddedUserDirectory;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.platform.User;

/**
 * A store verticle deployed against a MongoDB (embedded or real) on its own database, with the
 * embedded user directory and a stand-in for the OAuth2 token endpoint (outside our boundary).
 */
public final class StoreFixture implements AutoCloseable {
  public static final String DEMO_PATIENT = "dddddddddd";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  public final Vertx vertx;
  public final MongoClient mongo;
  public final EmbeddedUserDirectory users;
  /** The platform database of the embedded user directory. */
  public final MongoClient platform;
  public final String database;
  /** client id → service-account user id, as the token endpoint would answer. */
  public final Map<String, String> serviceAccountsByClient = new ConcurrentHashMap<>();
  private final JsonObject config;
  private final String connectionString;
  private String deploymentId;

  public StoreFixture(String connectionString) {
    this(connectionString, "clinic_" + DATABASES.incrementAndGet() + "_" + System.nanoTime() % 100000, new JsonObject());
  }

  /** A store on the existing {@code database} (e.g. a restart after a crash), with settings {@code overrides}. */
  public StoreFixture(String connectionString, String database, JsonObject overrides) {
    this.connectionString = connectionString;
    this.vertx = Vertx.vertx();
    this.database = database;
    JsonObject mongoConfig = new JsonObject().put("connection_string", connectionString).put("db_name", database);
    this.config = PackagedDefaults.with(new JsonObject()
        .put("TIDEPOOL_CLINIC_DATABASE_NAME", database)
        .put("CLINIC_DEMO_PATIENT_USER_ID", DEMO_PATIENT)
        .put("mongo", mongoConfig))
        .mergeIn(overrides);
    this.mongo = MongoClient.create(vertx, mongoConfig);
    this.platform = MongoClient.create(vertx, mongoConfig.copy().put("db_name", database + "_platform"));
    this.users = new EmbeddedUserDirectory(platform, new ClinicLock(vertx));
  }

  public StoreFixture deploy() {
    return deploy(new Domains(users, serviceAccounts(), users));
  }

  /** Deploys a store serving the modules of {@code wiring}. */
  public StoreFixture deploy(DomainWiring wiring) {
    deploymentId = vertx.deployVerticle(new StoreVerticle(wiring), new DeploymentOptions().setConfig(config)).await();
    return this;
  }

  private ServiceAccounts serviceAccounts() {
    return (clientId, secret) -> {
      String userId = serviceAccountsByClient.get(clientId);
      return userId != null && "secret".equals(secret)
          ? Future.succeededFuture(userId)
          : Future.failedFuture(ServiceError.unauthorized("invalid client credentials"));
    };
  }

  public void undeploy() {
    if (deploymentId != null) {
      vertx.undeploy(deploymentId).await();
      deploymentId = null;
    }
  }

  public User user(String id, String email, String name) {
    User user = new User(id, email, name);
    users.remember(user).await();
    return user;
  }

  /** A legacy clinic account: a user with shoreline's {@code clinic} role in the embedded directory. */
  public User legacyClinicAccount(String id, String email, String name) {
    user(id, email, name);
    platform.updateCollection("users", new JsonObject().put("_id", id), new JsonObject().put("$set",
        new JsonObject().put("roles", new JsonArray().add(User.LEGACY_CLINIC_ROLE)))).await();
    return new User(id, email, name, java.util.List.of(User.LEGACY_CLINIC_ROLE));
  }

  public Future<Object> send(String action, JsonObject envelope) {
    return Actions.request(vertx.eventBus(), addressOf(action), action, envelope.copy());
  }

  /** The address the catalogue names for the action; the store's own for an action it does not know. */
  private static String addressOf(String action) {
    try {
      return Catalogue.addressOf(action);
    } catch (IllegalArgumentException unknown) {
      return Catalogue.STORE_ADDRESS;
    }
  }

  public JsonObject object(String action, JsonObject envelope) {
    return (JsonObject) send(action, envelope).await();
  }

  public JsonArray array(String action, JsonObject envelope) {
    return (JsonArray) send(action, envelope).await();
  }

  /** The failure of a request that must fail. */
  public ReplyException failure(String action, JsonObject envelope) {
    try {
      Object result = send(action, envelope).await();
      throw new AssertionError(action + " should have failed but answered " + result);
    } catch (ReplyException e) {
      return e;
    }
  }

  public JsonObject createClinic(User creator, String name) {
    return object("CreateClinic", Envelope.as(creator.id())
        .body(new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL")));
  }

  /**
   * A crash in the middle of {@code action}: closes this store, runs the action on a store of the
   * same database that halts for good at {@code haltAt} ({@code <kind>:<step>}, see
   * {@code IntentLog}), kills that one once it halted with its intent recorded, and returns a
   * normal store started on the database (its start-up resumes what was cut short).
   */
  public StoreFixture restartedAfterHaltAt(String haltAt, String action, JsonObject envelope) throws Exception {
    close();
    // as a dead process: its stop does not wait for the halted operation
    StoreFixture halting = new StoreFixture(connectionString, database, new JsonObject().put(StoreConfig.HALT_AT, haltAt)
        .put("SHUTDOWN_TIMEOUT_MS", 100)).deploy();
    try {
      CompletableFuture<JsonObject> halted = new CompletableFuture<>();
      halting.vertx.eventBus().<JsonObject>consumer(IntentLog.HALTED, message -> halted.complete(message.body()))
          .completion().await(10, TimeUnit.SECONDS);
      halting.send(action, envelope);
      if (!halted.get(20, TimeUnit.SECONDS).getString("step").equals(haltAt.split(":")[1])) {
        throw new AssertionError(action + " halted at another step than " + haltAt);
      }
      if (halting.mongo.count(IntentLog.COLLECTION, new JsonObject()).await(10, TimeUnit.SECONDS) != 1) {
        throw new AssertionError("the halted " + action + " has no intent recorded");
      }
    } finally {
      halting.close();
    }
    return new StoreFixture(connectionString, database, new JsonObject()).deploy();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
