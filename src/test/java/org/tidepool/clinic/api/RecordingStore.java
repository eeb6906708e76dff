package org.tidepool.clinic.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.tidepool.clinic.common.Actions;

/**
 * Stands in for the store verticle on {@code clinic.store} while the api is tested alone: it
 * records each request and answers what a test told it to (an echo of the request by default).
 */
final class RecordingStore {
  record Received(String action, JsonObject body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  final Map<String, Function<JsonObject, Future<Object>>> answers = new ConcurrentHashMap<>();
  volatile JsonArray callerRoles = new JsonArray();
  private MessageConsumer<JsonObject> consumer;

  Future<Void> start(Vertx vertx) {
    consumer = vertx.eventBus().consumer(ApiConfig.STORE_ADDRESS, this::handle);
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer.unregister();
  }

  void reset() {
    received.clear();
    answers.clear();
    callerRoles = new JsonArray();
  }

  List<Received> operations() {
    return received.stream().filter(r -> !r.action().equals("CallerClinicianRoles") && !r.action().equals("Ready")).toList();
  }

  private void handle(Message<JsonObject> message) {
    String action = message.headers().get(Actions.HEADER);
    received.add(new Received(action, message.body()));
    if (action.equals("CallerClinicianRoles")) {
      message.reply(new JsonObject().put("roles", callerRoles));
      return;
    }
    Function<JsonObject, Future<Object>> answer = answers.get(action);
    Future<Object> reply = answer == null ? Future.succeededFuture(new JsonObject().put("echo", message.body())) : answer.apply(message.body());
    reply.onSuccess(message::reply).onFailure(failure -> message.fail(
        failure instanceof org.tidepool.clinic.common.ServiceError error ? error.code() : 500, failure.getMessage()));
  }
}
