package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.tidepool.clinic.common.ServiceError;

/**
 * Users from shoreline ({@code GET /user/{id}}: {@code username}, {@code emails}) and their
 * names from seagull ({@code GET /{id}/profile}: {@code fullName}).
 */
public final class TidepoolUserDirectory implements UserDirectory {
  private final ShorelineSession shoreline;
  private final String seagullAddress;

  public TidepoolUserDirectory(ShorelineSession shoreline, String seagullAddress) {
    this.shoreline = shoreline;
    this.seagullAddress = seagullAddress.isEmpty() ? "" : ShorelineSession.withoutTrailingSlash(seagullAddress);
  }

  @Override
  public Future<User> find(String userId) {
    String id = PathSegments.encode(userId);
    return get(shoreline.address() + "/user/" + id, "shoreline").compose(account -> {
      if (account == null) {
        return Future.succeededFuture(null);
      }
      return fullName(id).map(name -> new User(userId, emailOf(account), name));
    });
  }

  /** Shoreline owns the users; nothing to record. */
  @Override
  public Future<Void> remember(User user) {
    return Future.succeededFuture();
  }

  private Future<String> fullName(String encodedId) {
    if (seagullAddress.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return get(seagullAddress + "/" + encodedId + "/profile", "seagull")
        .map(profile -> profile == null ? null : profile.getString("fullName"));
  }

  private static String emailOf(JsonObject account) {
    JsonArray emails = account.getJsonArray("emails");
    if (emails != null && !emails.isEmpty() && emails.getValue(0) instanceof String first) {
      return first;
    }
    return account.getString("username");
  }

  /** The JSON object at the URL, or null when the service answers 404. */
  private Future<JsonObject> get(String url, String service) {
    return shoreline.send(token -> shoreline.client().getAbs(url)
            .putHeader(ShorelineSession.SESSION_TOKEN_HEADER, token).send())
        .recover(failure -> Future.failedFuture(failure instanceof ServiceError ? failure
            : new ServiceError(ServiceError.UNAVAILABLE, service + " is unreachable")))
        .compose(response -> readObject(response, service));
  }

  private static Future<JsonObject> readObject(HttpResponse<Buffer> response, String service) {
    if (response.statusCode() == 404) {
      return Future.succeededFuture(null);
    }
    if (response.statusCode() != 200) {
      return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE,
          service + " answered status " + response.statusCode()));
    }
    try {
      return Future.succeededFuture(response.bodyAsJsonObject());
    } catch (RuntimeException notJson) {
      return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, service + " answered a body that is not JSON"));
    }
  }
}
