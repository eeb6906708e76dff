package org.tidepool.clinic.api.auth;

import io.vertx.ext.auth.User;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

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

  private record Entry(User user, long keptUntilMillis) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  VerifiedTokens(Clock clock) {
    this.clock = clock;
  }

  /** The user of a verified token that is still valid, or null. */
  User user(String token) {
    Entry entry = entries.get(token);
    if (entry == null) {
      return null;
    }
    if (clock.millis() >= entry.keptUntilMillis() || entry.user().expired()) {
      entries.remove(token, entry);
      return null;
    }
    return entry.user();
  }

  /** Remembers a token the provider has just accepted. */
  void put(String token, User user) {
    long now = clock.millis();
    if (entries.size() >= MAXIMUM_SIZE) {
      entries.values().removeIf(entry -> now >= entry.keptUntilMillis() || entry.user().expired());
      if (entries.size() >= MAXIMUM_SIZE) {
        entries.clear();
      }
    }
    entries.put(token, new Entry(user, now + TIME_TO_LIVE.toMillis()));
  }

  int size() {
    return entries.size();
  }
}
