package org.tidepool.clinic.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.tidepool.clinic.api.auth.Authenticator;

/**
 * The first handler of every operation's route: a caller without valid credentials learns
 * nothing but 401, before the request is validated. Paths outside the contract (/ready,
 * unknown ones) never reach it.
 */
final class Authentication implements Handler<RoutingContext> {
  static final String CALLER = "caller";

  private final Authenticator authenticator;

  Authentication(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext rc) {
    authenticator.authenticate(rc.request().headers())
        .onSuccess(caller -> {
          rc.put(CALLER, caller);
          rc.next();
        })
        .onFailure(failure -> ErrorResponses.sendFailure(rc, failure));
  }
}
