package org.tidepool.clinic.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;

/**
 * Validates a request against its operation in the contract and keeps the validated request
 * where {@link OperationHandler} reads it. Ours rather than the router builder's, so that it
 * can run after {@link Authentication} on the same route.
 */
final class RequestValidation implements Handler<RoutingContext> {
  private final Operation operation;
  private final RequestValidator validator;
  private final RequestExtractor extractor;

  RequestValidation(Operation operation, RequestValidator validator, RequestExtractor extractor) {
    this.operation = operation;
    this.validator = validator;
    this.extractor = extractor;
  }

  @Override
  public void handle(RoutingContext rc) {
    extractor.extractValidatableRequest(rc, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(validated -> {
          rc.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          rc.next();
        })
        .onFailure(failure -> rc.fail(failure instanceof ValidatorException ? new HttpException(400, failure) : failure));
  }
}
