package org.tidepool.clinic.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
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
import java.util.Map;
import org.tidepool.clinic.api.auth.Caller;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.EncodedJson;
import org.tidepool.clinic.operations.Catalogue;

/**
 * The last handler of every operation: send the authorised, validated request to the address
 * of the operation's domain in the {@link Catalogue} (action = operationId, envelope of
 * docs/design.md), answer with the operation's success status and the domain's reply.
 */
final class OperationHandler implements Handler<RoutingContext> {
  private final String operationId;
  private final int successStatus;
  /** An operation that declares 204 besides its success status answers it for an empty reply (UpdatePatientPermissions). */
  private final boolean emptyIsNoContent;
  private final EventBus bus;
  private final String address;

  OperationHandler(Operation operation, EventBus bus) {
    this.operationId = operation.getOperationId();
    this.successStatus = successStatusOf(operation);
    this.emptyIsNoContent = operation.getOpenAPIModel().getJsonObject("responses", new JsonObject()).containsKey("204");
    this.bus = bus;
    EncodedJson.registerOn(bus);
    // an operation missing from the catalogue never gets here: the authorizer denies it
    this.address = Catalogue.find(operationId).map(spec -> spec.domain().address()).orElse(null);
  }

  @Override
  public void handle(RoutingContext rc) {
    Caller caller = rc.get(Authentication.CALLER);
    ValidatedRequest request = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    JsonObject path = valuesOf(request.getPathParameters());
    bus.request(address, envelope(caller, path, request), Actions.actionWithEncodedReply(operationId))
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
    rc.response().setStatusCode(reply == null && emptyIsNoContent ? 204 : successStatus);
    if (reply == null || successStatus == 204) {
      rc.response().end();
      return;
    }
    Buffer json = reply instanceof EncodedJson encoded ? encoded.bytes()
        : reply instanceof JsonObject object ? object.toBuffer()
        : reply instanceof JsonArray array ? array.toBuffer()
        : Json.encodeToBuffer(reply);
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
