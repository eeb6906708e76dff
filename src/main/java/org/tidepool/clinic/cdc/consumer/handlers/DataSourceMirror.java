package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import org.tidepool.clinic.platform.DataService;
import org.tidepool.clinic.platform.ProfileStore;
import org.tidepool.clinic.platform.RestrictedTokens;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.operations.StoreCalls;

/**
 * A change of the platform's {@code data_sources}: the user's sources at the data service
 * mirrored onto their patient records, and when a source went into {@code error} the
 * device-issue notification (with a restricted reconnection token extended or made). Every
 * step is idempotent except the notification, which the data service sends.
 */
public final class DataSourceMirror implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(DataSourceMirror.class);

  private final DataService data;
  private final RestrictedTokens tokens;
  private final ProfileStore profiles;
  private final UserDirectory users;
  private final StoreCalls store;

  public DataSourceMirror(DataService data, RestrictedTokens tokens, ProfileStore profiles, UserDirectory users, StoreCalls store) {
    this.data = data;
    this.tokens = tokens;
    this.profiles = profiles;
    this.users = users;
    this.store = store;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonDocument source = event.fullDocument();
    String userId = Bson.string(source, "userId");
    boolean written = event.is(ChangeEvent.INSERT) || event.is(ChangeEvent.UPDATE) || event.is(ChangeEvent.REPLACE);
    if (!written || userId == null || userId.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<Void> mirrored = mirror(userId, Bson.id(source.get("_id")));
    boolean failed = event.is(ChangeEvent.UPDATE) && "error".equals(Bson.string(event.updatedFields(), "state"));
    return failed && data.sendsNotifications() ? mirrored.compose(done -> deviceIssue(event, source, userId)) : mirrored;
  }

  private Future<Void> mirror(String userId, String eventSourceId) {
    return data.dataSources(userId).compose(sources -> {
      JsonArray entries = new JsonArray();
      for (Object item : sources) {
        if (item instanceof JsonObject found && found.getString("providerName") != null && found.getString("state") != null) {
          // as upstream: every entry carries the changed document's id (the record keeps ObjectIds)
          JsonObject entry = new JsonObject().put("providerName", found.getString("providerName")).put("state", found.getString("state"));
          if (eventSourceId != null && eventSourceId.matches("[0-9a-f]{24}")) {
            entry.put("dataSourceId", eventSourceId);
          }
          copy(found, entry, "modifiedTime");
          copy(found, entry, "latestDataTime");
          entries.add(entry);
        }
      }
      return store.call("UpdatePatientDataSources", new JsonObject().put("userId", userId), entries).<Void>mapEmpty()
          .recover(failure -> StoreCalls.isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
    });
  }

  private Future<Void> deviceIssue(ChangeEvent event, BsonDocument source, String userId) {
    String provider = Bson.string(source, "providerName");
    Future<Boolean> shared = store.<JsonArray>call("ListClinicsForPatient", new JsonObject().put("userId", userId), null)
        .map(clinics -> clinics != null && !clinics.isEmpty());
    Future<JsonObject> profile = profiles.profile(userId);
    return Future.all(shared, profile, users.find(userId)).compose(found -> {
      var user = found.<org.tidepool.clinic.platform.User>resultAt(2);
      if (user == null || user.email() == null || user.email().isBlank()) {
        log.info("data source of {} in error, but the user has no email: no notification", userId);
        return Future.succeededFuture();
      }
      return reconnectionToken(userId, provider).compose(tokenId -> {
        JsonObject body = new JsonObject().put("dataSourceState", "error").put("dataSourceId", Bson.id(source.get("_id")))
            .put("emailTemplate", "device_issue_" + provider + (shared.result() ? "_shared" : "_personal"))
            .put("providerName", provider).put("restrictedTokenId", tokenId).put("userId", userId);
        String fullName = profile.result() == null ? null : profile.result().getString("fullName");
        if (fullName != null) {
          body.put("fullName", fullName);
        }
        return data.notifyDeviceIssue(body).mapEmpty();
      });
    });
  }

  /** Every token for the provider's path extended by 30 days; a new one when there is none. */
  private Future<String> reconnectionToken(String userId, String provider) {
    List<String> paths = List.of("/v1/oauth/" + provider);
    Instant expiration = Instant.now().plus(HandlerSettings.TOKEN_VALIDITY);
    return tokens.list(userId).compose(found -> {
      List<RestrictedTokens.Token> matching = found.stream().filter(token -> token.paths().equals(paths)).toList();
      if (matching.isEmpty()) {
        return tokens.create(userId, paths, expiration);
      }
      Future<String> chain = Future.succeededFuture();
      for (RestrictedTokens.Token token : matching) {
        chain = chain.compose(previous -> tokens.update(token.id(), paths, expiration));
      }
      return chain;
    });
  }

  private static void copy(JsonObject from, JsonObject to, String field) {
    if (from.getValue(field) != null) {
      to.put(field, from.getValue(field));
    }
  }
}
