package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.tidepool.clinic.common.ServiceError;

/**
 * Users from shoreline ({@code GET /user/{id}}: {@code username}, {@code emails}, {@code roles}) and their
 * names from seagull ({@code GET /{id}/profile}: {@code fullName}). Custodial accounts are
 * created with {@code POST /v1/clinics/{clinicId}/users} (201) and changed with
 * {@code PUT /user/{id}} (200); both answer 409 for a taken email. As upstream, these bodies go
 * without a Content-Type.
 */
public final class TidepoolUserDirectory implements UserDirectory, PatientAccounts {
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
      return fullName(id).map(name -> new User(userId, emailOf(account), name, rolesOf(account)));
    });
  }

  /** Shoreline owns the users; nothing to record. */
  @Override
  public Future<Void> remember(User user) {
    return Future.succeededFuture();
  }

  @Override
  public Future<String> createCustodialUser(String clinicId, String email) {
    JsonObject body = email == null ? new JsonObject()
        : new JsonObject().put("username", email).put("emails", new JsonArray().add(email));
    String url = shoreline.address() + "/v1/clinics/" + PathSegments.encode(clinicId) + "/users";
    return shoreline.send(token -> shoreline.client().postAbs(url)
            .putHeader(ShorelineSession.SESSION_TOKEN_HEADER, token).sendBuffer(body.toBuffer()))
        .recover(TidepoolUserDirectory::unreachableShoreline)
        .compose(response -> {
          if (response.statusCode() == 409) {
            return Future.failedFuture(ServiceError.conflict(EMAIL_TAKEN));
          }
          if (response.statusCode() != 201) {
            return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE,
                "shoreline answered status " + response.statusCode() + " to the custodial account creation"));
          }
          String userId = userIdOf(response);
          return userId == null || userId.isBlank()
              ? Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, "shoreline created a custodial account without user id"))
              : Future.succeededFuture(userId);
        });
  }

  @Override
  public Future<Void> updateCustodialUser(String userId, String email) {
    JsonObject updates = email == null ? new JsonObject().put("emails", new JsonArray())
        : new JsonObject().put("username", email).put("emails", new JsonArray().add(email));
    String url = shoreline.address() + "/user/" + PathSegments.encode(userId);
    return shoreline.send(token -> shoreline.client().putAbs(url)
            .putHeader(ShorelineSession.SESSION_TOKEN_HEADER, token)
            .sendBuffer(new JsonObject().put("updates", updates).toBuffer()))
        .recover(TidepoolUserDirectory::unreachableShoreline)
        .compose(response -> switch (response.statusCode()) {
          case 200 -> Future.<Void>succeededFuture();
          case 409 -> Future.<Void>failedFuture(ServiceError.conflict(EMAIL_TAKEN));
          default -> Future.<Void>failedFuture(new ServiceError(ServiceError.UNAVAILABLE,
              "shoreline answered status " + response.statusCode() + " to the account update"));
        });
  }

  @Override
  public Future<PatientProfile> patientProfile(String userId) {
    String id = PathSegments.encode(userId);
    return get(shoreline.address() + "/user/" + id, "shoreline").compose(account -> {
      if (account == null) {
        return Future.succeededFuture(null);
      }
      Future<JsonObject> profile = seagullAddress.isEmpty() ? Future.succeededFuture(null)
          : get(seagullAddress + "/" + id + "/profile", "seagull");
      return profile.map(found -> Profiles.patientProfile(userId, account.getString("username"), found));
    });
  }

  @Override
  public Future<Void> deleteAccount(String userId) {
    String url = shoreline.address() + "/user/" + PathSegments.encode(userId);
    return shoreline.send(token -> shoreline.client().deleteAbs(url).putHeader(ShorelineSession.SESSION_TOKEN_HEADER, token).send())
        .recover(TidepoolUserDirectory::unreachableShoreline)
        .compose(response -> response.statusCode() == 204 || response.statusCode() == 404 ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(new ServiceError(ServiceError.UNAVAILABLE,
                "shoreline answered status " + response.statusCode() + " to the account deletion")));
  }

  private static String userIdOf(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body == null || !(body.getValue("userid") instanceof String id) ? null : id;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static <T> Future<T> unreachableShoreline(Throwable failure) {
    return Future.failedFuture(failure instanceof ServiceError ? failure
        : new ServiceError(ServiceError.UNAVAILABLE, "shoreline is unreachable"));
  }

  private Future<String> fullName(String encodedId) {
    if (seagullAddress.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return get(seagullAddress + "/" + encodedId + "/profile", "seagull")
        .map(profile -> profile == null ? null : profile.getString("fullName"));
  }

  private static java.util.List<String> rolesOf(JsonObject account) {
    return account.getValue("roles") instanceof JsonArray roles
        ? roles.stream().filter(String.class::isInstance).map(String.class::cast).toList() : java.util.List.of();
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
