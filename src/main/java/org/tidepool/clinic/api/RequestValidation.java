package org.tidepool.clinic.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.api.auth.Caller;
import org.tidepool.clinic.api.authz.Authorizer;
import org.tidepool.clinic.common.ServiceError;

/**
 * Admits a request to its operation: the path parameters are validated against the contract
 * (the access rule needs them), then the caller is authorised, then the rest of the request
 * (query, body) is validated. A caller who may not call the operation gets 403 whatever body
 * it sends. The validated request is kept where {@link OperationHandler} reads it. Ours rather
 * than the router builder's, so that it runs after {@link Authentication} on the same route.
 */
final class RequestValidation implements Handler<RoutingContext> {
  static final String UNCHECKABLE = "the request could not be validated against the contract";
  private static final Logger LOG = LoggerFactory.getLogger(RequestValidation.class);

  private final Operation operation;
  private final RequestValidatorImpl validator;
  private final RequestExtractor extractor;
  private final Authorizer authorizer;

  RequestValidation(Operation operation, RequestValidator validator, RequestExtractor extractor, Authorizer authorizer) {
    this.operation = operation;
    this.validator = (RequestValidatorImpl) validator;
    this.extractor = extractor;
    this.authorizer = authorizer;
  }

  @Override
  public void handle(RoutingContext rc) {
    Caller caller = rc.get(Authentication.CALLER);
    extractor.extractValidatableRequest(rc, operation)
        .compose(request -> validated(request.getPathParameters(), Location.PATH)
            .compose(path -> authorizer.authorize(operation.getOperationId(), caller, valuesOf(path))
                .compose(allowed -> rest(rc, request, path))))
        .onSuccess(validated -> {
          rc.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          rc.next();
        })
        .onFailure(failure -> {
          if (failure instanceof ValidatorException) {
            rc.fail(new HttpException(400, failure));
          } else if (failure instanceof ServiceError || failure instanceof ReplyException) {
            ErrorResponses.sendFailure(rc, failure); // denied, or the roles could not be looked up
          } else {
            rc.fail(new HttpException(400, uncheckable(rc, failure)));
          }
        });
  }

  /**
   * The rest of the request, validated as {@link RequestValidator#validate} does (every parameter
   * of the operation by its location, then the body), with the path parameters already validated.
   * The parameters are checked here, on the event loop: the request line and headers are bounded
   * (4 and 8 KiB), and the library's hop to a worker thread for them cost more than the check. Only
   * a body is validated on a worker, as the library does, since it may be as large as the body limit.
   */
  private Future<ValidatedRequest> rest(RoutingContext rc, ValidatableRequest request, Map<String, RequestParameter> path) {
    return validated(request.getCookies(), Location.COOKIE).compose(cookies ->
        validated(request.getHeaders(), Location.HEADER).compose(headers ->
            validated(request.getQuery(), Location.QUERY).compose(query ->
                body(rc, request).map(body -> new ValidatedRequestImpl(cookies, headers, path, query, body)))));
  }

  private Future<RequestParameter> body(RoutingContext rc, ValidatableRequest request) {
    RequestParameter body = request.getBody();
    if (operation.getRequestBody() == null || body == null || body.isEmpty()) {
      try {
        return Future.succeededFuture(validator.validateBody(operation.getRequestBody(), request));
      } catch (ValidatorException missing) {
        return Future.failedFuture(missing);
      }
    }
    return rc.vertx().executeBlocking(() -> validator.validateBody(operation.getRequestBody(), request), false);
  }

  /**
   * The operation's parameters of one location by name, each validated alone: the public API of
   * vertx-openapi 5.0 validates a whole request, and its {@code RequestValidatorImpl} (what
   * {@link RequestValidator#create} makes) is the only way to validate one parameter.
   */
  private Future<Map<String, RequestParameter>> validated(Map<String, RequestParameter> raw, Location location) {
    Map<String, RequestParameter> values = new HashMap<>();
    try {
      for (Parameter parameter : operation.getParameters()) {
        if (parameter.getIn() == location) {
          values.put(parameter.getName(), validator.validateParameter(parameter, raw.get(parameter.getName())));
        }
      }
    } catch (RuntimeException | StackOverflowError invalid) {
      return Future.failedFuture(invalid);
    }
    return Future.succeededFuture(values);
  }

  /** The path parameters as the access rule reads them. */
  private static Map<String, String> valuesOf(Map<String, RequestParameter> path) {
    Map<String, String> values = new HashMap<>();
    path.forEach((name, valid) -> {
      if (valid != null && !valid.isNull()) {
        values.put(name, String.valueOf(valid.get()));
      }
    });
    return values;
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
