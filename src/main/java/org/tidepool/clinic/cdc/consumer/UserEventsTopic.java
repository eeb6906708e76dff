package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.operations.StoreCalls;
import org.tidepool.clinic.common.CloudEvent;

/**
 * {@code <prefix>user-events}, CloudEvents from the user service: {@code users:update} with a
 * new username puts the email on the user's clinician and patient records
 * ({@code UpdateClinicUserDetails}); {@code users:delete} removes the user from every clinic
 * ({@code DeleteUserFromClinics}). Other types and records that are no CloudEvent are ignored,
 * as upstream. Ordered per user (the Kafka key).
 */
final class UserEventsTopic implements TopicHandler {
  private static final Logger log = LoggerFactory.getLogger(UserEventsTopic.class);
  static final String UPDATE = "users:update";
  static final String DELETE = "users:delete";

  private final StoreCalls store;

  UserEventsTopic(StoreCalls store) {
    this.store = store;
  }

  @Override
  public Future<Void> handle(ReceivedRecord record) {
    CloudEvent event;
    try {
      event = CloudEvent.read(record.headers(), record.value());
    } catch (IllegalArgumentException e) {
      throw new PermanentFailure(e.getMessage(), e);
    }
    if (event == null || event.data() == null) {
      return Future.succeededFuture();
    }
    JsonObject data = event.data();
    return switch (event.type()) {
      case UPDATE -> emailChanged(data.getJsonObject("original", new JsonObject()), data.getJsonObject("updated", new JsonObject()));
      case DELETE -> deleted(data.getString("userid"));
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> emailChanged(JsonObject original, JsonObject updated) {
    String userId = original.getString("userid");
    String username = updated.getString("username");
    if (userId == null || username == null || username.isEmpty() || username.equals(original.getString("username"))) {
      return Future.succeededFuture();
    }
    log.info("user {} has a new email; their clinic records follow", userId);
    return done(store.call("UpdateClinicUserDetails", new JsonObject().put("userId", userId), new JsonObject().put("email", username)));
  }

  private Future<Void> deleted(String userId) {
    if (userId == null || userId.isEmpty()) {
      return Future.succeededFuture();
    }
    log.info("user {} was deleted; removing them from every clinic", userId);
    return done(store.call("DeleteUserFromClinics", new JsonObject().put("userId", userId), null));
  }

  /** A user the store does not know has nothing to change. */
  private static Future<Void> done(Future<Object> call) {
    return call.<Void>mapEmpty().recover(failure -> StoreCalls.isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  @Override
  public String orderKey(ReceivedRecord record) {
    return record.topic() + "|" + (record.key() != null ? record.key() : "partition " + record.partition());
  }
}
