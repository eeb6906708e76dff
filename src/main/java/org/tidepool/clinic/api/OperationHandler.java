package org.tidepool.clinic.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.HashMap;
import java.util.Map;
import org.tidepool.clinic.api.auth.Caller;
import org.tidepool.clinic.api.authz.Authorizer;
import org.tidepool.clinic.common.Actions;

/**
 * The one handler of every operation: authorise the authenticated caller, send the validated
 * request to the store (action = operationId, envelope of docs/design.md), answer with the
 * operation's success status and the store's reply.
 */
final class OperationHandler implements Handler<RoutingContext> {
  private final String operationId;
  private final int successStatus;
  private final Authorizer authorizer;
  private final EventBus bus;
  private final String storeAddress;

  OperationHandler(Operation operation, Authorizer authorizer, EventBus bus, String storeAddress) {
    this.operationId = operation.getOperationId();
    this.successStatus = successStatusOf(operation);
    this.authorizer = authorizer;
    this.bus = bus;
    this.storeAddress = storeAddress;
  }

  @Override
  public void handle(RoutingContext rc) {
    Caller caller = rc.get(Authentication.CALLER);
    ValidatedRequest request = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    JsonObject path = valuesOf(request.getPathParameters());
    Map<String, String> pathStrings = new HashMap<>();
    path.forEach(entry -> pathStrings.put(entry.getKey(), String.valueOf(entry.getValue())));
    authorizer.authorize(operationId, caller, pathStrings)
        .compose(allowed -> bus.request(storeAddress, envelope(caller, path, request), Actions.action(operationId)))
        .map(Message::body)
        .onSuccess(reply -> respond(rc, reply))
        .onFailure(failure -> ErrorResponses.sendFailure(rc, failure));
  }

  static JsonObject envelope(Caller caller, JsonObject path, ValidatedRequest request) {
    JsonObject envelope = new JsonObject()
        .put("caller", caller.toJson())
        .put("path", path)
        .put("query", valuesOf(request.getQuery()));
    RequestParameter body = request.getBody();
    if (body != null && !body.isNull()) {
      envelope.put("body", body.get());
    }
    return envelope;
  }

  private void respond(RoutingContext rc, Object reply) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response().setStatusCode(successStatus);
    if (reply == null || successStatus == 204) {
      rc.response().end();
      return;
    }
    String json = reply instanceof JsonObject object ? object.encode()
        : reply instanceof JsonArray array ? array.encode()
        : Json.encode(reply);
    rc.response().putHeader("Content-Type", "application/json").end(json);
  }

  private static JsonObject valuesOf(Map<String, RequestParameter> parameters) {
    JsonObject values = new JsonObject();
    if (parameters != null) {
      parameters.forEach((name, parameter) -> {
        if (parameter != null && !parameter.isNull()) {
          values.put(name, parameter.get());
        }
      });
    }
    return values;
  }

  /** The first 2xx status the contract lists for the operation. */
  static int successStatusOf(Operation operation) {
    JsonObject responses = operation.getOpenAPIModel().getJsonObject("responses", new JsonObject());
    return responses.fieldNames().stream()
        .filter(code -> code.matches("2\\d\\d"))
        .mapToInt(Integer::parseInt)
        .min()
        .orElse(200);
  }
}
