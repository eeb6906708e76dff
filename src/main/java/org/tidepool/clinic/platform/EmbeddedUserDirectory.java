package org.tidepool.clinic.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * Users seen in development tokens and the custodial accounts of patients, kept in the
 * {@code users} collection of the platform database: {@code {_id, email, fullName}} for the
 * former; {@code {_id, username, emails, email, custodial: true, clinicId, profile}} for the
 * latter, with Tidepool-style ids (10 hex digits); either may have {@code roles} (shoreline's). An
 * email belongs to one account.
 */
public final class EmbeddedUserDirectory implements UserDirectory, PatientAccounts {
  static final String COLLECTION = "users";
  /** The account's platform roles (shoreline's {@code roles}), e.g. {@code ["clinic"]} for a legacy clinic account. */
  public static final String ROLES = "roles";
  private static final int ID_ATTEMPTS = 10;
  private static final int REMEMBERED_USERS = 10_000;
  /** The lock scope of an email's account writes (never a clinic id: those are hex). */
  private static final String EMAIL_SCOPE = "email:";

  private final MongoClient mongo;
  /** The token users written lately, so that a user's every request does not write it again. */
  private final Cache<String, User> remembered = Caffeine.newBuilder().maximumSize(REMEMBERED_USERS).build();
  private final SecureRandom random = new SecureRandom();
  /** The fields an account's email is in (a custodial account's username is its email). */
  private static final java.util.List<String> EMAIL_FIELDS = java.util.List.of("username", "email");
  private Future<Void> emailIndexes;
  /**
   * The account writes that check an email's owner take the email's lock: the check and the
   * write are two commands, and no unique index can say "one account per email" across the two
   * fields (nor leave a dev-token user's email free). The lock is cluster-wide when the event bus
   * is, so two store processes on one database cannot both create an account with the email
   * ({@code patients.ClusteredStoresTest}).
   */
  private final ClinicLock locks;

  public EmbeddedUserDirectory(MongoClient platformDatabase, ClinicLock locks) {
    this.mongo = platformDatabase;
    this.locks = locks;
  }

  @Override
  public Future<User> find(String userId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", userId), null)
        .map(doc -> doc == null ? null : new User(userId, doc.getString("email"), fullNameOf(doc), strings(doc.getJsonArray(ROLES))));
  }

  @Override
  public Future<Void> remember(User user) {
    if (Objects.equals(remembered.getIfPresent(user.id()), user)) {
      return Future.succeededFuture();
    }
    JsonObject fields = new JsonObject().put("email", user.email()).put("fullName", user.fullName());
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", user.id()),
            new JsonObject().put("$set", fields), new UpdateOptions().setUpsert(true))
        .onSuccess(done -> remembered.put(user.id(), user))
        .mapEmpty();
  }

  @Override
  public Future<String> createCustodialUser(String clinicId, String email) {
    String normalised = normalise(email);
    return holdingEmail(normalised, () -> emailFree(normalised, null).compose(free -> insertCustodial(clinicId, normalised, ID_ATTEMPTS)));
  }

  @Override
  public Future<Void> updateCustodialUser(String userId, String email) {
    String normalised = normalise(email);
    JsonObject update = normalised == null
        ? new JsonObject().put("$set", new JsonObject().put("emails", new JsonArray()))
            .put("$unset", new JsonObject().put("username", "").put("email", ""))
        : new JsonObject().put("$set", accountEmail(normalised));
    return holdingEmail(normalised, () -> emailFree(normalised, userId)
        .compose(free -> mongo.updateCollection(COLLECTION, new JsonObject().put("_id", userId), update))
        .mapEmpty());
  }

  @Override
  public Future<PatientProfile> patientProfile(String userId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", userId), null).map(doc -> {
      if (doc == null) {
        return null;
      }
      String username = doc.getString("username", doc.getString("email"));
      JsonObject profile = doc.getJsonObject("profile", new JsonObject().put("fullName", doc.getString("fullName")));
      return Profiles.patientProfile(userId, username, profile);
    });
  }

  @Override
  public Future<Void> deleteAccount(String userId) {
    JsonObject byUser = new JsonObject().put("_id", userId);
    remembered.invalidate(userId);
    return mongo.removeDocument(COLLECTION, byUser).mapEmpty();
  }

  private Future<String> insertCustodial(String clinicId, String email, int attemptsLeft) {
    String userId = HexFormat.of().formatHex(randomBytes(5));
    JsonObject account = new JsonObject().put("_id", userId).put("custodial", true).put("clinicId", clinicId);
    account.mergeIn(email == null ? new JsonObject().put("emails", new JsonArray()) : accountEmail(email));
    return mongo.insert(COLLECTION, account).map(userId).recover(failure -> MongoJson.isDuplicateKey(failure) && attemptsLeft > 1
        ? insertCustodial(clinicId, email, attemptsLeft - 1)
        : Future.failedFuture(failure));
  }

  /**
   * Succeeds when no account other than {@code exceptUserId} has the email (null: nothing to check)
   * as its username or email: one count per field, each on its index (an {@code $or} of the two
   * read every account on the embedded store, whose indexes serve a query naming one key).
   */
  private Future<Void> emailFree(String email, String exceptUserId) {
    if (email == null) {
      return Future.succeededFuture();
    }
    return emailIndexes().compose(v -> Future.all(EMAIL_FIELDS.stream().map(field -> {
      JsonObject query = new JsonObject().put(field, email);
      if (exceptUserId != null) {
        query.put("_id", new JsonObject().put("$ne", exceptUserId));
      }
      return mongo.count(COLLECTION, query);
    }).toList())).compose(counts -> counts.<Long>list().stream().allMatch(count -> count == 0) ? Future.succeededFuture()
        : Future.failedFuture(ServiceError.conflict(EMAIL_TAKEN)));
  }

  /** The indexes of {@link #EMAIL_FIELDS}, created once (creating an existing index changes nothing). */
  private synchronized Future<Void> emailIndexes() {
    if (emailIndexes == null || emailIndexes.failed()) {
      // an index on the field in another form (unique, another name) serves the count as well
      emailIndexes = Future.all(EMAIL_FIELDS.stream().map(field -> mongo.createIndex(COLLECTION, new JsonObject().put(field, 1))
              .recover(refused -> MongoJson.refusedByServer(refused) ? Future.succeededFuture() : Future.failedFuture(refused))).toList())
          .mapEmpty();
    }
    return emailIndexes;
  }

  /** Runs {@code write} holding the lock of {@code email} (none to hold without an email). */
  private <T> Future<T> holdingEmail(String email, Supplier<Future<T>> write) {
    return email == null ? write.get() : locks.run(EMAIL_SCOPE + email, write);
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static JsonObject accountEmail(String email) {
    return new JsonObject().put("username", email).put("email", email).put("emails", new JsonArray().add(email));
  }

  private static String fullNameOf(JsonObject doc) {
    JsonObject profile = doc.getJsonObject("profile");
    return profile != null && profile.getString("fullName") != null ? profile.getString("fullName") : doc.getString("fullName");
  }

  private static java.util.List<String> strings(JsonArray values) {
    return values == null ? java.util.List.of()
        : values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }

  private static String normalise(String email) {
    return email == null || email.isBlank() ? null : email.trim().toLowerCase(Locale.ROOT);
  }
}
