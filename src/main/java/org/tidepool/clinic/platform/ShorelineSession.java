package org.tidepool.clinic.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.tidepool.clinic.common.ClockTicker;
import org.tidepool.clinic.common.ServiceError;

/**
 * This service's own shoreline session: logs in with the server secret and keeps the server
 * token, logging in again after an hour or when shoreline answers 401. Checks callers' session
 * tokens ({@code GET /token/{token}}); server tokens are checked once per five minutes, user
 * tokens on every call, as upstream.
 */
public final class ShorelineSession {
  public static final String SESSION_TOKEN_HEADER = "x-tidepool-session-token";
  static final Duration REFRESH_AFTER = Duration.ofHours(1);
  // A 401 can also mean the caller's token (checked on our behalf) is bad; logging in again at
  // most this often keeps invalid caller tokens from turning into a stream of server logins.
  static final Duration RELOGIN_AT_MOST_EVERY = Duration.ofSeconds(30);

  static final Duration SERVER_TOKEN_CACHE_TIME = Duration.ofMinutes(5);
  static final int SERVER_TOKEN_CACHE_SIZE = 10_000;

  /** What shoreline says about a session token. */
  public record TokenOwner(String userId, boolean server) {}

  private final WebClient client;
  private final String shorelineAddress;
  private final String serverName;
  private final String serverSecret;
  private final Clock clock;
  private final Cache<String, TokenOwner> serverTokens;
  private Future<String> token;
  private Instant obtainedAt = Instant.MIN;

  public ShorelineSession(WebClient client, String shorelineAddress, String serverName, String serverSecret, Clock clock) {
    this.client = client;
    this.shorelineAddress = withoutTrailingSlash(shorelineAddress);
    this.serverName = serverName;
    this.serverSecret = serverSecret;
    this.clock = clock;
    this.serverTokens = Caffeine.newBuilder().maximumSize(SERVER_TOKEN_CACHE_SIZE).expireAfterWrite(SERVER_TOKEN_CACHE_TIME)
        .ticker(new ClockTicker(clock)).build();
  }

  public WebClient client() {
    return client;
  }

  public String address() {
    return shorelineAddress;
  }

  /** The current server token, logging in when there is none or it is an hour old. */
  public Future<String> serverToken() {
    Future<String> current;
    synchronized (this) {
      boolean stale = obtainedAt.plus(REFRESH_AFTER).isBefore(clock.instant());
      if (token == null || stale || token.failed()) {
        obtainedAt = clock.instant();
        token = login();
      }
      current = token;
    }
    return onCallersContext(current);
  }

  /**
   * The login future is shared by every api instance and runs its callbacks on the event loop
   * of the instance that logged in; each caller continues on its own instead.
   */
  private static <T> Future<T> onCallersContext(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<T> own = Promise.promise();
    shared.onComplete(result -> {
      if (Vertx.currentContext() == caller) {
        own.handle(result);
      } else {
        caller.runOnContext(v -> own.handle(result));
      }
    });
    return own.future();
  }

  /**
   * Sends a request carrying the server token; when shoreline (or a service that checks tokens
   * with it) answers 401, logs in again and retries once.
   */
  public Future<HttpResponse<Buffer>> send(Function<String, Future<HttpResponse<Buffer>>> request) {
    return serverToken().compose(current -> request.apply(current).compose(response -> {
      if (response.statusCode() != 401) {
        return Future.succeededFuture(response);
      }
      if (!forget(current)) {
        return Future.succeededFuture(response);
      }
      return serverToken().compose(request);
    }));
  }

  /**
   * The owner of a caller's session token, or a succeeded null when shoreline does not accept
   * it (any answer but 200 with a user id).
   */
  public Future<TokenOwner> checkToken(String sessionToken) {
    TokenOwner cached = serverTokens.getIfPresent(sessionToken);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    String url = shorelineAddress + "/token/" + PathSegments.encode(sessionToken);
    return send(own -> client.getAbs(url).putHeader(SESSION_TOKEN_HEADER, own).send())
        .recover(failure -> Future.failedFuture(failure instanceof ServiceError ? failure
            : new ServiceError(ServiceError.UNAVAILABLE, "shoreline is unreachable")))
        .map(ShorelineSession::ownerOf)
        .onSuccess(owner -> {
          if (owner != null && owner.server()) {
            serverTokens.put(sessionToken, owner);
          }
        });
  }

  private static TokenOwner ownerOf(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return null;
    }
    try {
      JsonObject answer = response.bodyAsJsonObject();
      String userId = answer == null ? null : answer.getString("userid");
      return userId == null || userId.isBlank() ? null : new TokenOwner(userId, Boolean.TRUE.equals(answer.getValue("isserver")));
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** Drops a rejected server token unless it is fresh; true when the request should be retried. */
  private synchronized boolean forget(String rejected) {
    if (token == null || !token.succeeded() || !rejected.equals(token.result())) {
      return true; // another request already replaced it
    }
    if (obtainedAt.plus(RELOGIN_AT_MOST_EVERY).isAfter(clock.instant())) {
      return false;
    }
    token = null;
    return true;
  }

  private Future<String> login() {
    return client.postAbs(shorelineAddress + "/serverlogin")
        .putHeader("x-tidepool-server-name", serverName)
        .putHeader("x-tidepool-server-secret", serverSecret)
        .send()
        .recover(unreachable -> Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, "shoreline is unreachable")))
        .compose(response -> {
          String issued = response.getHeader(SESSION_TOKEN_HEADER);
          if (response.statusCode() != 200 || issued == null || issued.isBlank()) {
            return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE,
                "shoreline refused the server login (status " + response.statusCode() + ")"));
          }
          return Future.succeededFuture(issued);
        });
  }

  static String withoutTrailingSlash(String address) {
    return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
  }
}
