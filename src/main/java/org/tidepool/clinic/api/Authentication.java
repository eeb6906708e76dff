package org.tidepool.clinic.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import org.tidepool.clinic.api.auth.Authenticator;

/**
 * Authenticates requests to the contract's operations before they are validated, so a caller
 * without valid credentials learns nothing but 401. Other paths (/ready, unknown ones) pass.
 */
final class Authentication implements Handler<RoutingContext> {
  static final String CALLER = "caller";

  private final OpenAPIContract contract;
  private final Authenticator authenticator;

  Authentication(OpenAPIContract contract, Authenticator authenticator) {
    this.contract = contract;
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext rc) {
    if (contract.findOperation(rc.normalizedPath(), rc.request().method()) == null) {
      rc.next();
      return;
    }
    authenticator.authenticate(rc.request().headers())
        .onSuccess(caller -> {
          rc.put(CALLER, caller);
          rc.next();
        })
        .onFailure(failure -> ErrorResponses.sendFailure(rc, failure));
  }
}
