package org.tidepool.clinic.clinicians;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;

/**
 * The {@code clinicians} collection: members and pending invites. Every write goes through the
 * {@link ChangeRecorder}. Per clinic, user id, invite id and email are unique: partial unique
 * indexes where the server has them, and on every backend a check before and after the insert
 * (callers hold the {@link ClinicMembershipLock} of the clinic, so the check holds in-process).
 */
public final class ClinicianRepository {
  public static final String COLLECTION = "clinicians";
  public static final String ALREADY_MEMBER = "clinician is already a member of the clinic";
  private static final List<String> UNIQUE_FIELDS = List.of("userId", "inviteId", "email");

  private final MongoClient mongo;
  private final ChangeRecorder recorder;

  public ClinicianRepository(MongoClient mongo, ChangeRecorder recorder) {
    this.mongo = mongo;
    this.recorder = recorder;
  }

  public static List<IndexSpec> indexes() {
    return List.of(
        IndexSpec.uniqueWhere(COLLECTION, "UniqueClinicianUserId", new JsonObject().put("clinicId", 1).put("userId", 1),
            exists("userId")),
        IndexSpec.uniqueWhere(COLLECTION, "UniqueInviteId", new JsonObject().put("clinicId", 1).put("inviteId", 1),
            exists("inviteId")),
        IndexSpec.uniqueWhere(COLLECTION, "UniqueClinicMemberEmail", new JsonObject().put("clinicId", 1).put("email", 1),
            exists("email")),
        IndexSpec.plain(COLLECTION, "ClinicianSearch",
            new JsonObject().put("clinicId", 1).put("email", "text").put("name", "text")),
        IndexSpec.plain(COLLECTION, "ClinicianByRole", new JsonObject().put("clinicId", 1).put("roles", 1)),
        IndexSpec.plain(COLLECTION, "CliniciansByCreatedTime", new JsonObject().put("createdTime", 1)),
        IndexSpec.plain(COLLECTION, "CliniciansByUserId", new JsonObject().put("userId", 1)));
  }

  public Future<JsonObject> findByUser(String clinicId, String userId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId), null);
  }

  public Future<JsonObject> findByInvite(String clinicId, String inviteId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("inviteId", inviteId), null);
  }

  /** Newest first, as upstream lists clinicians ({@code _id} breaks ties of the same millisecond). */
  public Future<List<JsonObject>> find(JsonObject query, Page page) {
    FindOptions options = new FindOptions().setSort(new JsonObject().put("createdTime", -1).put("_id", -1));
    if (page != null) {
      options.setSkip(page.offset()).setLimit(page.limit());
    }
    return mongo.findWithOptions(COLLECTION, query, options);
  }

  /**
   * Inserts a clinician (document with {@code _id} and {@code clinicId}); 409 when the clinic
   * already has one with the same user id, invite id or email. Of two concurrent inserts of the
   * same member, the one with the smaller {@code _id} stays and the other is undone.
   */
  public Future<JsonObject> insert(JsonObject clinician) {
    JsonObject clash;
    try {
      clash = clashQuery(clinician);
    } catch (ServiceError error) {
      return Future.failedFuture(error);
    }
    return mongo.findOne(COLLECTION, clash, null).compose(existing -> {
      if (existing != null) {
        return Future.failedFuture(ServiceError.conflict(ALREADY_MEMBER));
      }
      return recorder.insert(COLLECTION, clinician)
          .recover(ClinicianRepository::duplicateAsAlreadyMember)
          .compose(inserted -> keepIfFirst(inserted, clash));
    });
  }

  /** Whether the record {@code clinicianId} is the oldest (smallest {@code _id}) matching {@code query}, or none matches. */
  private Future<Boolean> isOldestOrAlone(String clinicianId, JsonObject query) {
    FindOptions first = new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(1)
        .setFields(new JsonObject().put("_id", 1));
    return mongo.findWithOptions(COLLECTION, query, first)
        .map(found -> found.isEmpty() || clinicianId.equals(MongoJson.hex(found.get(0).getValue("_id"))));
  }

  private Future<JsonObject> keepIfFirst(JsonObject inserted, JsonObject clash) {
    String insertedId = MongoJson.hex(inserted.getValue("_id"));
    return isOldestOrAlone(insertedId, clash).compose(first -> {
      if (first) {
        return Future.succeededFuture(inserted);
      }
      return recorder.delete(COLLECTION, insertedId, new JsonObject())
          .compose(undone -> Future.failedFuture(ServiceError.conflict(ALREADY_MEMBER)));
    });
  }

  private static JsonObject clashQuery(JsonObject clinician) {
    JsonArray alternatives = new JsonArray();
    for (String field : UNIQUE_FIELDS) {
      if (clinician.getValue(field) != null) {
        alternatives.add(new JsonObject().put(field, clinician.getValue(field)));
      }
    }
    if (alternatives.isEmpty()) {
      throw ServiceError.badRequest("a clinician needs a user id, an invite id or an email");
    }
    return new JsonObject().put("clinicId", clinician.getValue("clinicId")).put("$or", alternatives);
  }

  /**
   * Turns an invite record into a member ({@code update} sets the user id and drops the invite
   * id); null when the invite is gone. 409 when the user is a member already, also when two
   * invites of one clinic are accepted by the same user at once: the record with the smaller
   * {@code _id} keeps the user, the other is put back as it was.
   */
  public Future<JsonObject> associate(JsonObject invite, JsonObject update) {
    String clinicianId = MongoJson.hex(invite.getValue("_id"));
    String inviteId = invite.getString("inviteId");
    String userId = update.getJsonObject("$set").getString("userId");
    JsonObject sameUserQuery = new JsonObject().put("clinicId", invite.getValue("clinicId")).put("userId", userId);
    return mongo.findOne(COLLECTION, sameUserQuery, null)
        .compose(member -> member != null
            ? Future.<JsonObject>failedFuture(ServiceError.conflict(ALREADY_MEMBER))
            : associateChecked(invite, clinicianId, inviteId, update));
  }

  private Future<JsonObject> associateChecked(JsonObject invite, String clinicianId, String inviteId, JsonObject update) {
    return recorder.update(COLLECTION, clinicianId, new JsonObject().put("inviteId", inviteId), update)
        .recover(ClinicianRepository::duplicateAsAlreadyMember)
        .compose(associated -> {
          if (associated == null) {
            return Future.succeededFuture();
          }
          JsonObject sameUser = new JsonObject().put("clinicId", associated.getValue("clinicId"))
              .put("userId", associated.getString("userId"));
          return isOldestOrAlone(clinicianId, sameUser).compose(first -> {
            if (first) {
              return Future.succeededFuture(associated);
            }
            JsonObject restore = new JsonObject().put("$set", new JsonObject().put("inviteId", inviteId));
            JsonObject unset = new JsonObject().put("userId", "");
            if (invite.getString("name") != null) {
              restore.getJsonObject("$set").put("name", invite.getString("name"));
            } else {
              unset.put("name", "");
            }
            restore.put("$unset", unset);
            return recorder.update(COLLECTION, clinicianId, new JsonObject(), restore)
                .compose(restored -> Future.failedFuture(ServiceError.conflict(ALREADY_MEMBER)));
          });
        });
  }

  /** Conditional update; null when the document no longer matches. */
  public Future<JsonObject> update(String clinicianId, JsonObject conditions, JsonObject update) {
    return recorder.update(COLLECTION, clinicianId, conditions, update);
  }

  public Future<JsonObject> delete(String clinicianId) {
    return recorder.delete(COLLECTION, clinicianId, new JsonObject());
  }

  /** A unique index refusing the write means the member exists already: 409. */
  private static <T> Future<T> duplicateAsAlreadyMember(Throwable failure) {
    return Future.failedFuture(MongoJson.isDuplicateKey(failure) ? ServiceError.conflict(ALREADY_MEMBER) : failure);
  }

  private static JsonObject exists(String field) {
    return new JsonObject().put(field, new JsonObject().put("$exists", true));
  }
}
