package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** Platform auth's restricted tokens ({@code /v1/users/{userId}/restricted_tokens}, {@code /v1/restricted_tokens/{id}}). */
public interface RestrictedTokens {
  record Token(String id, String userId, List<String> paths, Instant expirationTime) {}

  /** The user's tokens (none when the user is unknown). */
  Future<List<Token>> list(String userId);

  /** A new token for the paths; its id. */
  Future<String> create(String userId, List<String> paths, Instant expirationTime);

  /** Extends a token; its id. */
  Future<String> update(String tokenId, List<String> paths, Instant expirationTime);

  /** Revokes a token (a token that is gone is no failure). */
  Future<Void> delete(String tokenId);
}
