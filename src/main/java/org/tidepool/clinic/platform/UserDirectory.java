package org.tidepool.clinic.platform;

import io.vertx.core.Future;

/**
 * Users and profiles live outside the clinic service (shoreline + seagull in Tidepool). The
 * embedded adapter keeps the users seen in tokens in its own Mongo collection.
 */
public interface UserDirectory {

  /** The user, or a succeeded future with null when no such user exists. */
  Future<User> find(String userId);

  /** Records what a token says about its user; a no-op where another service owns users. */
  Future<Void> remember(User user);
}
