package org.tidepool.clinic.clinicians;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.deletions.DeletionArchive;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.mongo.PublishedWrites;
import org.tidepool.clinic.mongo.Revision;

/**
 * The {@code clinicians} collection: members and pending invites. Every write is a
 * {@link PublishedWrites published} one. Per clinic, user id, invite id and email are unique:
 * partial unique indexes where the server has them, and on every backend a check before and
 * after the insert (callers hold the clinic's membership lock, so the check holds in-process).
 */
public final class ClinicianRepository {
  public static final String COLLECTION = "clinicians";
  public static final String ALREADY_MEMBER = "clinician is already a member of the clinic";
  private static final List<String> UNIQUE_FIELDS = List.of("userId", "inviteId", "email");

  private final MongoClient mongo;
  private final PublishedWrites writes;
  private final DeletionArchive archive;

  public ClinicianRepository(MongoClient mongo, PublishedWrites writes, DeletionArchive archive) {
    this.mongo = mongo;
    this.writes = writes;
    this.archive = archive;
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

  public Future<Clinician> findById(String clinicianId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", MongoJson.oid(clinicianId)), null)
        .map(ClinicianDocuments::fromDocument);
  }

  public Future<Clinician> findByUser(String clinicId, String userId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId), null)
        .map(ClinicianDocuments::fromDocument);
  }

  /**
   * The roles of the user's member record in the clinic, null when the user is not a member: the
   * authorisation of every member request reads them, so only they are read and mapped.
   */
  public Future<Roles> rolesOf(String clinicId, String userId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId),
            new JsonObject().put("roles", 1).put("_id", 0))
        .map(doc -> doc == null ? null : ClinicianDocuments.rolesOf(doc));
  }

  public Future<Clinician> findByInvite(String clinicId, String inviteId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("inviteId", inviteId), null)
        .map(ClinicianDocuments::fromDocument);
  }

  /** Newest first, as upstream lists clinicians ({@code _id} breaks ties of the same millisecond); all of them without a page. */
  public Future<List<Clinician>> find(ClinicianFilter filter, Page page) {
    FindOptions options = new FindOptions().setSort(new JsonObject().put("createdTime", -1).put("_id", -1));
    if (page != null) {
      page.applyTo(options);
    }
    return mongo.findWithOptions(COLLECTION, query(filter), options)
        .map(found -> found.stream().map(ClinicianDocuments::fromDocument).toList());
  }

  /**
   * Inserts a clinician record; 409 when the clinic already has one with the same user id,
   * invite id or email. Of two concurrent inserts of the same member, the one with the smaller
   * {@code _id} stays and the other is undone.
   */
  public Future<Clinician> insert(Clinician clinician) {
    JsonObject document = ClinicianDocuments.newDocument(clinician);
    JsonObject clash;
    try {
      clash = clashQuery(document);
    } catch (ServiceError error) {
      return Future.failedFuture(error);
    }
    return mongo.findOne(COLLECTION, clash, null).compose(existing -> {
      if (existing != null) {
        return Future.failedFuture(ServiceError.conflict(ALREADY_MEMBER));
      }
      return writes.insert(COLLECTION, document)
          .recover(ClinicianRepository::duplicateAsAlreadyMember)
          .compose(inserted -> keepIfFirst(inserted, clash))
          .map(ClinicianDocuments::fromDocument);
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
      return writes.delete(COLLECTION, insertedId, new JsonObject())
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
   * Turns an invite record into the member {@code userId} (with {@code name} when not null; the
   * invite id goes); null when the invite is gone. 409 when the user is a member already, also
   * when two invites of one clinic are accepted by the same user at once: the record with the
   * smaller {@code _id} keeps the user, the other is put back as it was.
   */
  public Future<Clinician> associate(Clinician invite, String userId, String name) {
    JsonObject set = new JsonObject().put("userId", userId);
    if (name != null) {
      set.put("name", name);
    }
    JsonObject update = new JsonObject().put("$set", set).put("$unset", new JsonObject().put("inviteId", ""));
    JsonObject sameUserQuery = new JsonObject().put("clinicId", MongoJson.oid(invite.clinicId())).put("userId", userId);
    return mongo.findOne(COLLECTION, sameUserQuery, null)
        .compose(member -> member != null
            ? Future.<JsonObject>failedFuture(ServiceError.conflict(ALREADY_MEMBER))
            : associateChecked(invite, update, sameUserQuery))
        .map(ClinicianDocuments::fromDocument);
  }

  private Future<JsonObject> associateChecked(Clinician invite, JsonObject update, JsonObject sameUser) {
    return writes.update(COLLECTION, invite.id(), new JsonObject().put("inviteId", invite.inviteId()), update)
        .recover(ClinicianRepository::duplicateAsAlreadyMember)
        .compose(associated -> {
          if (associated == null) {
            return Future.succeededFuture();
          }
          return isOldestOrAlone(invite.id(), sameUser).compose(first -> {
            if (first) {
              return Future.succeededFuture(associated);
            }
            JsonObject restore = new JsonObject().put("$set", new JsonObject().put("inviteId", invite.inviteId()));
            JsonObject unset = new JsonObject().put("userId", "");
            if (invite.name() != null) {
              restore.getJsonObject("$set").put("name", invite.name());
            } else {
              unset.put("name", "");
            }
            restore.put("$unset", unset);
            return writes.update(COLLECTION, invite.id(), new JsonObject(), restore)
                .compose(restored -> Future.failedFuture(ServiceError.conflict(ALREADY_MEMBER)));
          });
        });
  }

  /**
   * Sets the roles (and the name when not null), auditing a change of roles in
   * {@code rolesUpdates}, if the record is still at the revision {@code current} was read at;
   * null when it changed since (or is gone).
   */
  public Future<Clinician> updateRoles(Clinician current, Roles roles, String name, String updatedBy) {
    JsonObject set = new JsonObject().put("roles", new JsonArray(roles.names()));
    if (name != null) {
      set.put("name", name);
    }
    JsonObject update = new JsonObject().put("$set", set);
    if (!current.roles().sameAs(roles)) {
      update.put("$push", new JsonObject().put("rolesUpdates",
          new JsonObject().put("roles", new JsonArray(roles.names())).put("updatedBy", updatedBy)));
    }
    return writes.update(COLLECTION, current.id(), Revision.is(current.revision()), update).map(ClinicianDocuments::fromDocument);
  }

  /** Whether another record of the clinic than {@code clinicianId} has {@code email} (lower-cased). */
  public Future<Boolean> emailTakenByOther(String clinicId, String email, String clinicianId) {
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("email", email.toLowerCase(Locale.ROOT))
        .put("_id", new JsonObject().put("$ne", MongoJson.oid(clinicianId)));
    return mongo.findOne(COLLECTION, query, new JsonObject().put("_id", 1)).map(found -> found != null);
  }

  /**
   * Sets the record's email (lower-cased) if it is still at the revision {@code current} was read
   * at; null when it changed since (or is gone). A unique index refusing it is a 409.
   */
  public Future<Clinician> updateEmail(Clinician current, String email) {
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("email", email.toLowerCase(Locale.ROOT)));
    return writes.update(COLLECTION, current.id(), Revision.is(current.revision()), update)
        .recover(ClinicianRepository::duplicateAsAlreadyMember)
        .map(ClinicianDocuments::fromDocument);
  }

  /** Removes the record without archiving it (undoing an insert); null when it is gone. */
  public Future<Clinician> discard(String clinicianId) {
    return writes.delete(COLLECTION, clinicianId, new JsonObject()).map(ClinicianDocuments::fromDocument);
  }

  /** Archives the record ({@code deletedByUserId} may be null), then deletes it; null when it is gone. */
  public Future<Clinician> archiveAndDelete(String clinicianId, String deletedByUserId) {
    return archiveAndDelete(clinicianId, deletedByUserId, Future::succeededFuture);
  }

  /** As {@link #archiveAndDelete(String, String)}, running {@code archived} between the archive and the deletion. */
  public Future<Clinician> archiveAndDelete(String clinicianId, String deletedByUserId, Supplier<Future<Void>> archived) {
    return archive.archiveThenDelete(COLLECTION, clinicianId, DeletionArchive.CLINICIAN_DELETIONS, "clinician", deletedByUserId,
            () -> archived.get().compose(v -> writes.delete(COLLECTION, clinicianId, new JsonObject())))
        .map(ClinicianDocuments::fromDocument);
  }

  /** Removes the archive of a record that was not deleted after all. */
  public Future<Void> unarchive(String clinicianId) {
    return archive.unarchive(DeletionArchive.CLINICIAN_DELETIONS, clinicianId);
  }

  private static JsonObject query(ClinicianFilter filter) {
    JsonObject query = new JsonObject();
    if (filter.clinicId() != null) {
      query.put("clinicId", MongoJson.oid(filter.clinicId()));
    }
    if (filter.userId() != null) {
      query.put("userId", filter.userId());
    }
    if (filter.search() != null) {
      JsonObject contains = new JsonObject().put("$regex", MongoJson.literalRegex(filter.search())).put("$options", "i");
      query.put("$or", new JsonArray().add(new JsonObject().put("name", contains)).add(new JsonObject().put("email", contains.copy())));
    }
    if (filter.email() != null) {
      query.put("email", filter.email().toLowerCase(Locale.ROOT));
    }
    if (filter.role() != null) {
      query.put("roles", filter.role().toUpperCase(Locale.ROOT));
    }
    MongoJson.putDateRange(query, "createdTime", filter.createdFrom(), filter.createdBefore());
    return query;
  }

  /** A unique index refusing the write means the member exists already: 409. */
  private static <T> Future<T> duplicateAsAlreadyMember(Throwable failure) {
    return Future.failedFuture(MongoJson.isDuplicateKey(failure) ? ServiceError.conflict(ALREADY_MEMBER) : failure);
  }

  private static JsonObject exists(String field) {
    return new JsonObject().put(field, new JsonObject().put("$exists", true));
  }
}
