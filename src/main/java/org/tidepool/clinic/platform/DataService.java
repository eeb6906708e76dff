package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The platform data service: a user's data sources, summaries and data sets, and the
 * notifications it schedules and sends (claim and connect reminders, device issues). Without
 * one (embedded mode) every read answers "none" and the notifications are skipped.
 */
public interface DataService {
  /** Whether the notifications are really sent (false without a data service: the steps that lead to one are skipped). */
  default boolean sendsNotifications() {
    return true;
  }

  /** {@code GET /v1/users/{userId}/data_sources}; empty when none (404 included). */
  Future<JsonArray> dataSources(String userId);

  /** {@code GET /v1/summaries/{type}/{userId}}; null when none. */
  Future<JsonObject> summary(String type, String userId);

  /** Whether {@code GET /v1/users/{userId}/data_sets?size=1} finds any. */
  Future<Boolean> hasDataSets(String userId);

  /** {@code POST /v1/notifications/account/claims}; false when skipped. */
  Future<Boolean> scheduleClaimReminder(JsonObject body);

  /** {@code POST /v1/notifications/account/connections}; false when skipped. */
  Future<Boolean> scheduleConnectReminder(JsonObject body);

  /** {@code POST /v1/notifications/device/issues}; false when skipped. */
  Future<Boolean> notifyDeviceIssue(JsonObject body);
}
