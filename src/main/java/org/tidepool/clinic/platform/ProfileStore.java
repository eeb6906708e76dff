package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Users' profile documents (seagull's {@code /{userId}/profile}), read and written whole. */
public interface ProfileStore {
  /** The profile, or null when the user has none (404). */
  Future<JsonObject> profile(String userId);

  /** Replaces the profile; a user that is gone is no failure (upstream treats 404 as success). */
  Future<Void> saveProfile(String userId, JsonObject profile);
}
