package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Users seen in development tokens, kept in the {@code users} collection of the platform database. */
public final class EmbeddedUserDirectory implements UserDirectory {
  static final String COLLECTION = "users";

  private final MongoClient mongo;
  private final ConcurrentHashMap<String, User> remembered = new ConcurrentHashMap<>();

  public EmbeddedUserDirectory(MongoClient platformDatabase) {
    this.mongo = platformDatabase;
  }

  @Override
  public Future<User> find(String userId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", userId), null)
        .map(doc -> doc == null ? null : new User(userId, doc.getString("email"), doc.getString("fullName")));
  }

  @Override
  public Future<Void> remember(User user) {
    if (Objects.equals(remembered.get(user.id()), user)) {
      return Future.succeededFuture();
    }
    JsonObject fields = new JsonObject().put("email", user.email()).put("fullName", user.fullName());
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", user.id()),
            new JsonObject().put("$set", fields), new UpdateOptions().setUpsert(true))
        .onSuccess(done -> remembered.put(user.id(), user))
        .mapEmpty();
  }
}
