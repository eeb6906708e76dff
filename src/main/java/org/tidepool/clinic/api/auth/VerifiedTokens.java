package org.tidepool.clinic.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.ext.auth.User;
import java.time.Clock;
import java.time.Duration;
import org.tidepool.clinic.common.ClockTicker;

/**
 * The users of tokens whose signature was verified, while the token has not expired (its
 * {@code exp}, checked by {@link User#expired()} as the provider checks it) and for at most
 * {@link #TIME_TO_LIVE}. A token is the same string each time a client sends it, so a signature
 * verified once holds; of the time checks only {@code exp} can change its answer later
 * ({@code nbf} and {@code iat}, once passed, stay passed). Decoding the token's JSON and checking
 * the HMAC again on every request was the largest cost of authentication.
 */
final class VerifiedTokens {
  static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);
  static final int MAXIMUM_SIZE = 10_000;

  private final Cache<String, User> users;

  VerifiedTokens(Clock clock) {
    // maintenance (eviction) on the caller's thread, a little at each write, instead of tasks on the common pool
    users = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).expireAfterWrite(TIME_TO_LIVE).ticker(new ClockTicker(clock))
        .executor(Runnable::run).build();
  }

  /** The user of a verified token that is still valid, or null. */
  User user(String token) {
    User user = users.getIfPresent(token);
    if (user != null && user.expired()) {
      users.invalidate(token);
      return null;
    }
    return user;
  }

  /** Remembers a token the provider has just accepted. */
  void put(String token, User user) {
    users.put(token, user);
  }

  long size() {
    users.cleanUp();
    return users.estimatedSize();
  }
}
