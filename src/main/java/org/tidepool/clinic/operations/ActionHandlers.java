package org.tidepool.clinic.operations;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A domain's handlers by action name: operations take the request envelope, internal actions their own JSON. */
public final class ActionHandlers {
  private final Map<String, Function<JsonObject, Future<?>>> handlers = new LinkedHashMap<>();

  public ActionHandlers operation(String operationId, Function<OperationRequest, Future<?>> handler) {
    return add(operationId, body -> handler.apply(new OperationRequest(body)));
  }

  public ActionHandlers internal(String action, Function<JsonObject, Future<?>> handler) {
    return add(action, handler);
  }

  public Map<String, Function<JsonObject, Future<?>>> asMap() {
    return Collections.unmodifiableMap(handlers);
  }

  private ActionHandlers add(String action, Function<JsonObject, Future<?>> handler) {
    if (handlers.putIfAbsent(action, handler) != null) {
      throw new IllegalStateException("two handlers for " + action);
    }
    return this;
  }
}
