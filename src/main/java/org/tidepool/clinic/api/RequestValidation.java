package org.tidepool.clinic.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a request against its operation in the contract and keeps the validated request
 * where {@link OperationHandler} reads it. Ours rather than the router builder's, so that it
 * can run after {@link Authentication} on the same route.
 */
final class RequestValidation implements Handler<RoutingContext> {
  static final String UNCHECKABLE = "the request could not be validated against the contract";
  private static final Logger LOG = LoggerFactory.getLogger(RequestValidation.class);

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
        .onFailure(failure -> rc.fail(new HttpException(400, failure instanceof ValidatorException ? failure : uncheckable(rc, failure))));
  }

  /**
   * The validator only reads the request, so an exception of its own (vertx-json-schema 5.0.7
   * threw on an empty string checked as an email) means this input defeated it: a 400, logged
   * so that the library's or the contract's flaw is seen.
   */
  private ValidatorException uncheckable(RoutingContext rc, Throwable failure) {
    LOG.warn("{} {}: the validator of {} failed on the request", rc.request().method(), rc.request().path(), operation.getOperationId(), failure);
    return new ValidatorException(UNCHECKABLE, ValidatorErrorType.ILLEGAL_VALUE);
  }
}
