package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Tidepool HTTP adapters of the worker's ports, with the calls, bodies and accepted statuses
 * of upstream's clinic-worker (docs/design.md "Platform ports").
 */
final class TidepoolPlatformPorts {

  private TidepoolPlatformPorts() {}

  /** seagull: {@code GET /{userId}/profile} (404 → none), {@code POST /{userId}/profile} (200; 404 is success). */
  static final class Profiles implements ProfileStore {
    private final TidepoolHttp seagull;

    Profiles(TidepoolHttp seagull) {
      this.seagull = seagull;
    }

    @Override
    public Future<JsonObject> profile(String userId) {
      return seagull.call(HttpMethod.GET, "/" + PathSegments.encode(userId) + "/profile", null, false, Set.of(200, 404))
          .map(response -> response.statusCode() == 404 ? null : TidepoolHttp.object(response, seagull.service()));
    }

    @Override
    public Future<Void> saveProfile(String userId, JsonObject profile) {
      return seagull.call(HttpMethod.POST, "/" + PathSegments.encode(userId) + "/profile", profile, true, Set.of(200, 404)).mapEmpty();
    }
  }

  /** hydrophone: {@code POST /confirm/send/signup/{userId}}; 200 sent, 403 already invited, 404 user gone. */
  static final class Invites implements SignupInvites {
    private final TidepoolHttp hydrophone;

    Invites(TidepoolHttp hydrophone) {
      this.hydrophone = hydrophone;
    }

    @Override
    public Future<Outcome> sendSignup(String userId, String clinicId, String invitedBy) {
      JsonObject body = new JsonObject().put("clinicId", clinicId);
      if (invitedBy != null) {
        body.put("invitedBy", invitedBy);
      }
      return hydrophone.call(HttpMethod.POST, "/confirm/send/signup/" + PathSegments.encode(userId), body, true, Set.of(200, 403, 404))
          .map(response -> new Outcome(switch (response.statusCode()) {
            case 200 -> Status.SENT;
            case 403 -> Status.ALREADY_INVITED;
            default -> Status.USER_GONE;
          }, null));
    }
  }

  /** platform auth's restricted tokens (list 200/404, create 201, update 200, delete 200). */
  static final class Tokens implements RestrictedTokens {
    private final TidepoolHttp auth;

    Tokens(TidepoolHttp auth) {
      this.auth = auth;
    }

    @Override
    public Future<List<Token>> list(String userId) {
      return auth.call(HttpMethod.GET, "/v1/users/" + PathSegments.encode(userId) + "/restricted_tokens", null, false, Set.of(200, 404))
          .map(response -> {
            if (response.statusCode() == 404) {
              return List.<Token>of();
            }
            List<Token> tokens = new ArrayList<>();
            for (Object item : TidepoolHttp.array(response, auth.service())) {
              if (item instanceof JsonObject token && token.getString("id") != null) {
                tokens.add(new Token(token.getString("id"), token.getString("userId"), strings(token.getJsonArray("paths")), null));
              }
            }
            return tokens;
          });
    }

    @Override
    public Future<String> create(String userId, List<String> paths, Instant expirationTime) {
      return auth.call(HttpMethod.POST, "/v1/users/" + PathSegments.encode(userId) + "/restricted_tokens", body(paths, expirationTime),
              false, Set.of(201))
          .map(response -> TidepoolHttp.object(response, auth.service()).getString("id"));
    }

    @Override
    public Future<String> update(String tokenId, List<String> paths, Instant expirationTime) {
      return auth.call(HttpMethod.PUT, "/v1/restricted_tokens/" + PathSegments.encode(tokenId), body(paths, expirationTime), false, Set.of(200))
          .map(response -> TidepoolHttp.object(response, auth.service()).getString("id", tokenId));
    }

    @Override
    public Future<Void> delete(String tokenId) {
      return auth.call(HttpMethod.DELETE, "/v1/restricted_tokens/" + PathSegments.encode(tokenId), null, false, Set.of(200)).mapEmpty();
    }

    private static JsonObject body(List<String> paths, Instant expirationTime) {
      return new JsonObject().put("paths", new JsonArray(paths)).put("expirationTime", expirationTime.toString());
    }
  }

  /** The data service: reads (404 → none), data sets (2xx only) and notifications. */
  static final class Data implements DataService {
    private static final Set<Integer> SUCCESS = Set.of(200, 201, 202, 204);
    private final TidepoolHttp data;

    Data(TidepoolHttp data) {
      this.data = data;
    }

    @Override
    public Future<JsonArray> dataSources(String userId) {
      return data.call(HttpMethod.GET, "/v1/users/" + PathSegments.encode(userId) + "/data_sources", null, false, Set.of(200, 404))
          .map(response -> response.statusCode() == 404 ? new JsonArray() : TidepoolHttp.array(response, data.service()));
    }

    @Override
    public Future<JsonObject> summary(String type, String userId) {
      return data.call(HttpMethod.GET, "/v1/summaries/" + PathSegments.encode(type) + "/" + PathSegments.encode(userId), null, false,
              Set.of(200, 404))
          .map(response -> {
            String contentType = response.getHeader("Content-Type");
            // as upstream's generated client: a body that is not declared JSON is no summary
            return response.statusCode() == 404 || contentType == null || !contentType.contains("json") ? null
                : TidepoolHttp.object(response, data.service());
          });
    }

    @Override
    public Future<Boolean> hasDataSets(String userId) {
      return data.call(HttpMethod.GET, "/v1/users/" + PathSegments.encode(userId) + "/data_sets?size=1", null, false, SUCCESS)
          .map(response -> !TidepoolHttp.array(response, data.service()).isEmpty());
    }

    @Override
    public Future<Boolean> scheduleClaimReminder(JsonObject body) {
      return notify("/v1/notifications/account/claims", body);
    }

    @Override
    public Future<Boolean> scheduleConnectReminder(JsonObject body) {
      return notify("/v1/notifications/account/connections", body);
    }

    @Override
    public Future<Boolean> notifyDeviceIssue(JsonObject body) {
      return notify("/v1/notifications/device/issues", body);
    }

    private Future<Boolean> notify(String path, JsonObject body) {
      return data.call(HttpMethod.POST, path, body, false, SUCCESS).map(true);
    }
  }

  /** marketo-service: {@code POST /v1/users/{userId}/marketo}, 200. */
  static final class MarketoRefresh implements Marketo {
    private final TidepoolHttp marketo;

    MarketoRefresh(TidepoolHttp marketo) {
      this.marketo = marketo;
    }

    @Override
    public Future<Boolean> refresh(String userId) {
      return marketo.call(HttpMethod.POST, "/v1/users/" + PathSegments.encode(userId) + "/marketo", null, false, Set.of(200)).map(true);
    }
  }

  private static List<String> strings(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    return array.stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }

}
