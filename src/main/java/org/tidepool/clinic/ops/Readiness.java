package org.tidepool.clinic.ops;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.tidepool.clinic.infra.KafkaClients;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.AppState;
import org.tidepool.clinic.common.Stopping;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.operations.Catalogue;

/**
 * {@code GET /ready}: the procedures of a vertx-health-check {@link HealthChecks}, as far as this
 * process's {@code ROLES} need them: {@value #STARTED} (all verticles deployed, no stop begun),
 * {@value #STORE} (the store answers {@value Catalogue#READY}, which pings MongoDB; roles api and
 * store), {@value #KAFKA} (the brokers answer; roles cdc-relay and cdc-consumer). 200
 * {@code {"status":"ready"}} when all are up; else 503 with the error body naming the failing
 * checks. HealthCheckHandler's own body ({@code UP}/{@code DOWN}) is not the contract's error
 * shape, so the result is rendered here.
 */
final class Readiness implements Handler<RoutingContext> {
  static final String STARTED = "started";
  static final String STORE = "store";
  static final String KAFKA = "kafka";
  static final long CHECK_TIMEOUT_MS = 2_000;
  /** The health check's own bound, a little later, so that a check names its failure itself. */
  private static final long PROCEDURE_TIMEOUT_MS = CHECK_TIMEOUT_MS + 500;
  private static final String REASON = "reason";

  private final HealthChecks checks;
  private KafkaAdminClient kafka;

  private Readiness(HealthChecks checks) {
    this.checks = checks;
  }

  static Readiness create(Vertx vertx, Settings settings) {
    Readiness readiness = new Readiness(HealthChecks.create(vertx));
    List<String> roles = settings.list("ROLES");
    readiness.checks.register(STARTED, PROCEDURE_TIMEOUT_MS, promise -> started(vertx, promise));
    if (roles.contains("api") || roles.contains("store")) {
      readiness.checks.register(STORE, PROCEDURE_TIMEOUT_MS, promise -> vertx.eventBus().request(Catalogue.STORE_ADDRESS,
              new JsonObject(), Actions.action(Catalogue.READY).setSendTimeout(CHECK_TIMEOUT_MS))
          .onComplete(answer -> promise.complete(answer.succeeded() ? Status.OK() : down("the store does not answer"))));
    }
    boolean relay = roles.contains("cdc-relay") && settings.bool("CDC_RELAY_ENABLED");
    if (relay || roles.contains("cdc-consumer")) {
      // the same brokers, TLS and SASL as the relay's and the consumer's clients
      readiness.kafka = KafkaAdminClient.create(vertx, KafkaClients.from(settings).clientConfig(Map.of(
          "request.timeout.ms", String.valueOf(CHECK_TIMEOUT_MS),
          "default.api.timeout.ms", String.valueOf(CHECK_TIMEOUT_MS))));
      readiness.checks.register(KAFKA, PROCEDURE_TIMEOUT_MS, promise -> readiness.kafka.describeCluster()
          .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .onComplete(cluster -> promise.complete(cluster.succeeded() && !cluster.result().getNodes().isEmpty()
              ? Status.OK() : down("Kafka does not answer"))));
    }
    return readiness;
  }

  private static void started(Vertx vertx, Promise<Status> promise) {
    if (Stopping.inProgress(vertx)) {
      promise.complete(down("the service is stopping"));
    } else if (!Boolean.TRUE.equals(vertx.sharedData().getLocalMap(AppState.MAP).get(AppState.DEPLOYED))) {
      promise.complete(down("the service is starting"));
    } else {
      promise.complete(Status.OK());
    }
  }

  private static Status down(String reason) {
    return Status.KO(new JsonObject().put(REASON, reason));
  }

  @Override
  public void handle(RoutingContext rc) {
    checks.checkStatus().onComplete(checked -> {
      if (checked.succeeded() && CheckResult.isUp(checked.result())) {
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "ready").encode());
        return;
      }
      JsonArray failing = new JsonArray();
      StringBuilder message = new StringBuilder("not ready");
      String separator = ": ";
      for (CheckResult check : checked.succeeded() ? checked.result().getChecks() : List.<CheckResult>of()) {
        if (!check.getUp()) {
          String reason = check.getData() == null ? "down" : check.getData().getString(REASON, "no answer in time");
          message.append(separator).append(check.getId()).append(" (").append(reason).append(')');
          separator = "; ";
          failing.add(new JsonObject().put("id", check.getId()).put(REASON, reason));
        }
      }
      rc.response().setStatusCode(503).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("code", 503).put("message", message.toString()).put("failing", failing).encode());
    });
  }

  Future<Void> close() {
    return kafka == null ? Future.succeededFuture() : kafka.close();
  }
}
