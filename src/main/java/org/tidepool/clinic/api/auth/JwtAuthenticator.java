package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * jwt mode: an HS256 token in {@code Authorization: Bearer} (or, for clients written for
 * Tidepool, in {@code x-tidepool-session-token}). Users seen in tokens are remembered in the
 * user directory, so the store can read their email and name. A token verified once is not
 * decoded again until it expires ({@link VerifiedTokens}).
 */
public final class JwtAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);

  private final JWTAuth jwt;
  private final UserDirectory users;
  private final VerifiedTokens verified;

  public JwtAuthenticator(JWTAuth jwt, UserDirectory users) {
    this(jwt, users, Clock.systemUTC());
  }

  JwtAuthenticator(JWTAuth jwt, UserDirectory users, Clock clock) {
    this.jwt = jwt;
    this.users = users;
    this.verified = new VerifiedTokens(clock);
  }

  @Override
  public Future<Caller> authenticate(MultiMap headers) {
    Optional<String> token = Credentials.bearerToken(headers).or(() -> Credentials.sessionToken(headers));
    if (token.isEmpty()) {
      return Future.failedFuture(ServiceError.unauthorized("missing credentials: send an Authorization: Bearer token"));
    }
    io.vertx.ext.auth.User known = verified.user(token.get());
    if (known != null) {
      return callerOf(known.principal());
    }
    return jwt.authenticate(new TokenCredentials(token.get()))
        .recover(invalid -> Future.failedFuture(ServiceError.unauthorized("invalid token")))
        .compose(user -> {
          verified.put(token.get(), user);
          return callerOf(user.principal());
        });
  }

  private Future<Caller> callerOf(JsonObject claims) {
    if (!textOrAbsent(claims, "sub") || !textOrAbsent(claims, "email") || !textOrAbsent(claims, "name")) {
      return Future.failedFuture(ServiceError.unauthorized("invalid token: sub, email and name must be strings"));
    }
    String subject = claims.getString("sub", "");
    if (Boolean.TRUE.equals(claims.getValue("server"))) {
      return Future.succeededFuture(Caller.service(subject));
    }
    if (subject.isBlank()) {
      return Future.failedFuture(ServiceError.unauthorized("invalid token: no subject"));
    }
    User user = new User(subject, claims.getString("email"), claims.getString("name"));
    return users.remember(user)
        .onFailure(failure -> LOG.warn("could not remember user {}", subject, failure))
        .otherwiseEmpty()
        .map(remembered -> Caller.user(subject));
  }

  private static boolean textOrAbsent(JsonObject claims, String claim) {
    Object value = claims.getValue(claim);
    return value == null || value instanceof String;
  }
}
