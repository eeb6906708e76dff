package org.tidepool.clinic.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.operations.Catalogue;

/**
 * {@code GET /ready}: 200 once the application has deployed its verticles and the store
 * answers its {@code Ready} action (which pings MongoDB), 503 otherwise.
 */
final class Readiness implements Handler<RoutingContext> {
  static final String STORE_ACTION = Catalogue.READY;
  static final long STORE_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final String storeAddress;

  Readiness(Vertx vertx, String storeAddress) {
    this.vertx = vertx;
    this.storeAddress = storeAddress;
  }

  @Override
  public void handle(RoutingContext rc) {
    Object deployed = vertx.sharedData().getLocalMap(AppState.MAP).get(AppState.DEPLOYED);
    if (!Boolean.TRUE.equals(deployed)) {
      ErrorResponses.send(rc, 503, "not ready: the service is starting");
      return;
    }
    DeliveryOptions options = Actions.action(STORE_ACTION).setSendTimeout(STORE_TIMEOUT_MS);
    vertx.eventBus().request(storeAddress, new JsonObject(), options)
        .onSuccess(answer -> rc.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "ready").encode()))
        .onFailure(failure -> ErrorResponses.send(rc, 503, "not ready: the store does not answer"));
  }
}
