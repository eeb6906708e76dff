package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * The embedded adapters of the worker's ports (no Tidepool platform): profiles are the
 * {@code profile} of the user directory's accounts, restricted tokens and signup invites are
 * collections of the platform database; the data service has nothing and schedules nothing.
 */
final class EmbeddedPlatformPorts {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPlatformPorts.class);
  static final String TOKENS = "restricted_tokens";
  static final String INVITES = "signup_invites";
  private static final SecureRandom RANDOM = new SecureRandom();

  private EmbeddedPlatformPorts() {}

  /** The {@code profile} field of the account in {@code users}; a user without account has none. */
  static final class Profiles implements ProfileStore {
    private final MongoClient mongo;

    Profiles(MongoClient mongo) {
      this.mongo = mongo;
    }

    @Override
    public Future<JsonObject> profile(String userId) {
      return mongo.findOne(EmbeddedUserDirectory.COLLECTION, new JsonObject().put("_id", userId), new JsonObject().put("profile", 1))
          .map(doc -> doc == null ? null : doc.getJsonObject("profile"));
    }

    @Override
    public Future<Void> saveProfile(String userId, JsonObject profile) {
      return mongo.updateCollection(EmbeddedUserDirectory.COLLECTION, new JsonObject().put("_id", userId),
          new JsonObject().put("$set", new JsonObject().put("profile", profile))).mapEmpty();
    }
  }

  /**
   * Invites {@code {_id: userId, key, email, clinicId, invitedBy, createdTime}}, one per account
   * as hydrophone keeps them: an invite to the same address exists already (hydrophone's 403),
   * a changed address gets a new key, an account without address has none. The invite to mail
   * is handed back even when it existed, so a caller that failed before mailing it mails it on
   * its retry (its mail is deduplicated by the key).
   */
  static final class Invites implements SignupInvites {
    private final MongoClient mongo;

    Invites(MongoClient mongo) {
      this.mongo = mongo;
    }

    @Override
    public Future<Outcome> sendSignup(String userId, String clinicId, String invitedBy) {
      JsonObject byUser = new JsonObject().put("_id", userId);
      return mongo.findOne(EmbeddedUserDirectory.COLLECTION, byUser, null).compose(account -> {
        if (account == null) {
          return Future.succeededFuture(new Outcome(Status.USER_GONE, null));
        }
        String email = account.getString("username", account.getString("email"));
        if (email == null || email.isBlank()) {
          return mongo.removeDocument(INVITES, byUser).map(new Outcome(Status.SENT, null));
        }
        return mongo.findOne(INVITES, byUser, null).compose(existing -> {
          if (existing != null && email.equals(existing.getString("email"))) {
            return Future.succeededFuture(new Outcome(Status.ALREADY_INVITED, new Invitation(existing.getString("key"), email)));
          }
          String key = hex(16);
          JsonObject invite = new JsonObject().put("_id", userId).put("key", key).put("email", email).put("clinicId", clinicId)
              .put("invitedBy", invitedBy).put("createdTime", MongoJson.date(Instant.now()));
          return mongo.save(INVITES, invite).map(new Outcome(Status.SENT, new Invitation(key, email)));
        });
      });
    }
  }

  /** {@code {_id: <32 hex>, userId, paths, expirationTime, createdTime}}. */
  static final class Tokens implements RestrictedTokens {
    private final MongoClient mongo;

    Tokens(MongoClient mongo) {
      this.mongo = mongo;
    }

    @Override
    public Future<List<Token>> list(String userId) {
      return mongo.find(TOKENS, new JsonObject().put("userId", userId)).map(docs -> docs.stream()
          .map(doc -> new Token(doc.getString("_id"), userId, doc.getJsonArray("paths", new JsonArray()).stream()
              .map(String::valueOf).toList(), MongoJson.instant(doc.getValue("expirationTime"))))
          .toList());
    }

    @Override
    public Future<String> create(String userId, List<String> paths, Instant expirationTime) {
      String id = hex(16);
      return mongo.insert(TOKENS, new JsonObject().put("_id", id).put("userId", userId).put("paths", new JsonArray(paths))
          .put("expirationTime", MongoJson.date(expirationTime)).put("createdTime", MongoJson.date(Instant.now()))).map(id);
    }

    @Override
    public Future<String> update(String tokenId, List<String> paths, Instant expirationTime) {
      return mongo.updateCollection(TOKENS, new JsonObject().put("_id", tokenId), new JsonObject().put("$set",
          new JsonObject().put("paths", new JsonArray(paths)).put("expirationTime", MongoJson.date(expirationTime)))).map(tokenId);
    }

    @Override
    public Future<Void> delete(String tokenId) {
      return mongo.removeDocument(TOKENS, new JsonObject().put("_id", tokenId)).mapEmpty();
    }
  }

  /** No data service: no data sources, summaries or data sets; its notifications are skipped. */
  static final class NoData implements DataService {
    @Override
    public boolean sendsNotifications() {
      return false;
    }

    @Override
    public Future<JsonArray> dataSources(String userId) {
      return Future.succeededFuture(new JsonArray());
    }

    @Override
    public Future<JsonObject> summary(String type, String userId) {
      return Future.succeededFuture(null);
    }

    @Override
    public Future<Boolean> hasDataSets(String userId) {
      return Future.succeededFuture(false);
    }

    @Override
    public Future<Boolean> scheduleClaimReminder(JsonObject body) {
      return skipped("claim reminder", body);
    }

    @Override
    public Future<Boolean> scheduleConnectReminder(JsonObject body) {
      return skipped("connect reminder", body);
    }

    @Override
    public Future<Boolean> notifyDeviceIssue(JsonObject body) {
      return skipped("device issue notification", body);
    }

    private static Future<Boolean> skipped(String what, JsonObject body) {
      log.debug("no data service: {} for {} skipped", what, body.getString("userId"));
      return Future.succeededFuture(false);
    }
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
