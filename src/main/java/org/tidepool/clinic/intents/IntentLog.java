package org.tidepool.clinic.intents;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.UnjournaledWrites;

/**
 * The operations that write several documents, recorded in {@code operation_intents} before
 * their first write and removed after their last. MongoDB without a replica set (and the embedded
 * store) has no transaction to hold such writes together, so an operation cut short by a crash is
 * finished, or undone, from its record: at start-up, and later for a record older than
 * {@link #STALE_AFTER} that no operation of this process is still running. An operation that
 * fails is converged the same way at once.
 */
public final class IntentLog {
  public static final String COLLECTION = "operation_intents";
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);
  /** Event-bus address on which a halted operation announces itself (fault injection, see {@link Steps#reached}). */
  public static final String HALTED = "clinic.intents.halted";

  private static final Logger LOG = LoggerFactory.getLogger(IntentLog.class);

  private final Vertx vertx;
  private final MongoClient mongo;
  private final ClinicLock locks;
  private final String haltAt;
  private final Map<String, IntentResumer> resumers = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * @param haltAt for crash tests only: {@code <kind>:<step>} makes that operation stop for good
   *     at that step, as if the process had died there; empty in normal operation
   */
  public IntentLog(Vertx vertx, MongoClient mongo, ClinicLock locks, String haltAt) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.locks = locks;
    this.haltAt = haltAt == null ? "" : haltAt;
  }

  /** Declares how unfinished operations of {@code kind} are converged. */
  public IntentLog register(String kind, IntentResumer resumer) {
    resumers.put(kind, resumer);
    return this;
  }

  /**
   * Records the intent, then runs the operation. On success the record goes; on failure the
   * operation is converged by its resumer first, and the failure is the result. The caller holds
   * the clinic's lock.
   */
  public <T> Future<T> run(String kind, String clinicId, JsonObject params, Function<Steps, Future<T>> operation) {
    IntentResumer resumer = resumers.get(kind);
    if (resumer == null) {
      return Future.failedFuture(new IllegalStateException("no resumer for operations of kind " + kind));
    }
    Intent intent = Intent.create(kind, clinicId, params);
    inFlight.add(intent.id());
    return mongo.insert(COLLECTION, intent.toDocument())
        .compose(recorded -> start(operation, new Steps(intent)))
        .transform(result -> result.succeeded()
            // the operation is done: a record that could not be removed is found stale and resumed (a no-op) later
            ? forget(intent).recover(notRemoved -> {
                LOG.warn("record of the finished {} {} not removed: {}", kind, intent.id(), notRemoved.toString());
                return Future.succeededFuture();
              }).map(result.result())
            : resumer.resume(intent).compose(converged -> forget(intent))
                .recover(unconverged -> {
                  LOG.warn("{} {} of clinic {} left for a later resumption: {}", kind, intent.id(), clinicId, unconverged.toString());
                  return Future.succeededFuture();
                })
                .transform(ignored -> Future.<T>failedFuture(result.cause())))
        .onComplete(done -> inFlight.remove(intent.id()));
  }

  /**
   * Runs an operation over all of a user's records (in any number of clinics) as an intent of the
   * user's own scope, holding the user's lock; its steps take each clinic's lock themselves. Such
   * an operation repeats safely as a whole, so its kind's resumer runs it again from the params.
   */
  public <T> Future<T> runForUser(String kind, String userId, JsonObject params, Function<Steps, Future<T>> operation) {
    String scope = userScope(userId);
    return locks.run(scope, () -> run(kind, scope, params, operation));
  }

  /** The lock scope of the operations over all of a user's records (never a clinic id: those are hex). */
  static String userScope(String userId) {
    return "user:" + userId;
  }

  /**
   * Converges recorded operations: every one at start-up ({@code all}), else those older than
   * {@link #STALE_AFTER} that this process is not running. Each is resumed under its clinic's lock,
   * and only if its record is still there once the lock is held (its own process may have
   * finished it meanwhile). Returns how many were resumed.
   */
  public Future<Integer> resumePending(boolean all) {
    JsonObject query = all ? new JsonObject()
        : new JsonObject().put("createdTime", new JsonObject().put("$lt", MongoJson.date(Instant.now().minus(STALE_AFTER))));
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setSort(new JsonObject().put("_id", 1)))
        .compose(this::resumeEach)
        .onSuccess(count -> {
          if (count > 0) {
            LOG.info("resumed {} unfinished operation(s)", count);
          }
        });
  }

  private Future<Integer> resumeEach(List<JsonObject> documents) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (JsonObject document : documents) {
      Intent intent = Intent.fromDocument(document);
      if (inFlight.contains(intent.id())) {
        continue;
      }
      IntentResumer resumer = resumers.get(intent.kind());
      if (resumer == null) {
        LOG.error("operation {} of unknown kind {} left as it is", intent.id(), intent.kind());
        continue;
      }
      chain = chain.compose(count -> locks.run(intent.clinicId(), () -> mongo.findOne(COLLECTION, key(intent), null)
              .compose(still -> still == null ? Future.succeededFuture(0)
                  : resumer.resume(intent).compose(converged -> forget(intent)).map(1)))
          .recover(failure -> {
            LOG.warn("resumption of {} {} failed, will retry: {}", intent.kind(), intent.id(), failure.toString());
            return Future.succeededFuture(0);
          })
          .map(resumed -> count + resumed));
    }
    return chain;
  }

  private <T> Future<T> start(Function<Steps, Future<T>> operation, Steps steps) {
    try {
      return operation.apply(steps);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Removes the record, not journaled: should a crash lose the removal, the operation, finished,
   * is resumed at start-up, which changes nothing (every resumer converges what is already done).
   */
  private Future<Void> forget(Intent intent) {
    return UnjournaledWrites.delete(mongo, COLLECTION, key(intent));
  }

  private static JsonObject key(Intent intent) {
    return new JsonObject().put("_id", MongoJson.oid(intent.id()));
  }

  /** What a running operation sees of its record: the intent, and its named steps. */
  public final class Steps {
    private final Intent intent;

    private Steps(Intent intent) {
      this.intent = intent;
    }

    public Intent intent() {
      return intent;
    }

    /**
     * Marks that the operation has done the step {@code step}. Normally a no-op; the fault
     * injection point of crash tests stops the operation here for good (nothing after it runs,
     * no failure handling either, exactly as a dead process) and announces it on {@link #HALTED}.
     */
    public Future<Void> reached(String step) {
      if (!haltAt.equals(intent.kind() + ":" + step)) {
        return Future.succeededFuture();
      }
      LOG.warn("fault injection: {} {} halted after step {}", intent.kind(), intent.id(), step);
      vertx.eventBus().publish(HALTED, new JsonObject().put("kind", intent.kind()).put("step", step).put("intentId", intent.id()));
      return Promise.<Void>promise().future();
    }
  }
}
