package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.platform.ShorelineSession;

/**
 * tidepool mode: the caller's {@code x-tidepool-session-token} is checked with shoreline
 * ({@code GET /token/{token}} → {@code {userid, isserver}}); any answer but 200 means invalid.
 * Server tokens are checked once per five minutes; user tokens on every request, as upstream.
 */
public final class TidepoolAuthenticator implements Authenticator {
  static final Duration SERVER_TOKEN_CACHE_TIME = Duration.ofMinutes(5);
  static final int SERVER_TOKEN_CACHE_SIZE = 10_000;

  private final ShorelineSession shoreline;
  private final ExpiringCache<String, Caller> serverTokens;

  public TidepoolAuthenticator(ShorelineSession shoreline, Clock clock) {
    this.shoreline = shoreline;
    this.serverTokens = new ExpiringCache<>(SERVER_TOKEN_CACHE_TIME, SERVER_TOKEN_CACHE_SIZE, clock);
  }

  @Override
  public Future<Caller> authenticate(MultiMap headers) {
    Optional<String> token = Credentials.sessionToken(headers);
    if (token.isEmpty()) {
      return Future.failedFuture(ServiceError.unauthorized("missing credentials: send an x-tidepool-session-token header"));
    }
    Caller cached = serverTokens.get(token.get());
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return check(token.get()).onSuccess(caller -> {
      if (caller.server()) {
        serverTokens.put(token.get(), caller);
      }
    });
  }

  private Future<Caller> check(String token) {
    String url = shoreline.address() + "/token/" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return shoreline.send(own -> shoreline.client().getAbs(url)
            .putHeader(ShorelineSession.SESSION_TOKEN_HEADER, own).send())
        .recover(failure -> Future.failedFuture(failure instanceof ServiceError ? failure
            : new ServiceError(ServiceError.UNAVAILABLE, "shoreline is unreachable")))
        .compose(TidepoolAuthenticator::callerOf);
  }

  private static Future<Caller> callerOf(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture(ServiceError.unauthorized("invalid session token"));
    }
    JsonObject answer;
    try {
      answer = response.bodyAsJsonObject();
    } catch (RuntimeException notJson) {
      answer = null;
    }
    String userId = answer == null ? null : answer.getString("userid");
    if (userId == null || userId.isBlank()) {
      return Future.failedFuture(ServiceError.unauthorized("invalid session token"));
    }
    return Future.succeededFuture(new Caller(userId, Boolean.TRUE.equals(answer.getValue("isserver"))));
  }
}
