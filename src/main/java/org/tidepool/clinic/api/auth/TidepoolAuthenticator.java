package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.Optional;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.platform.ShorelineSession;

/**
 * tidepool mode: the caller's {@code x-tidepool-session-token}, checked with shoreline by this
 * service's {@link ShorelineSession} (which caches server tokens).
 */
public final class TidepoolAuthenticator implements Authenticator {
  private final ShorelineSession shoreline;

  public TidepoolAuthenticator(ShorelineSession shoreline) {
    this.shoreline = shoreline;
  }

  @Override
  public Future<Caller> authenticate(MultiMap headers) {
    Optional<String> token = Credentials.sessionToken(headers);
    if (token.isEmpty()) {
      return Future.failedFuture(ServiceError.unauthorized("missing credentials: send an x-tidepool-session-token header"));
    }
    return shoreline.checkToken(token.get()).compose(owner -> owner == null
        ? Future.failedFuture(ServiceError.unauthorized("invalid session token"))
        : Future.succeededFuture(new Caller(owner.userId(), owner.server())));
  }
}
