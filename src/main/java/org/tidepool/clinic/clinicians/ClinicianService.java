package org.tidepool.clinic.clinicians;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tidepool.clinic.clinics.ClinicDocuments;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.deletions.DeletionArchive;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.store.StoreRequest;

/**
 * Clinician operations and their rules: migrated clinics only for writes, unique members, the
 * clinic's {@code admins} kept in step with the roles (never empty), role changes audited in
 * {@code rolesUpdates}, deletions archived.
 */
public final class ClinicianService {
  public static final String NOT_MIGRATED = "clinic is not migrated";
  static final String CONCURRENT_CHANGE = "the clinician was changed by another request; try again";

  private final ClinicianRepository clinicians;
  private final ClinicRepository clinics;
  private final DeletionArchive archive;
  private final UserDirectory users;
  private final ServiceAccounts serviceAccounts;
  private final ClinicMembershipLock membership;

  public ClinicianService(ClinicianRepository clinicians, ClinicRepository clinics, DeletionArchive archive,
                          UserDirectory users, ServiceAccounts serviceAccounts, ClinicMembershipLock membership) {
    this.clinicians = clinicians;
    this.clinics = clinics;
    this.archive = archive;
    this.users = users;
    this.serviceAccounts = serviceAccounts;
    this.membership = membership;
  }

  public Future<JsonArray> list(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    String search = request.query("search");
    if (search != null) {
      JsonObject contains = new JsonObject().put("$regex", MongoJson.literalRegex(search)).put("$options", "i");
      query.put("$or", new JsonArray().add(new JsonObject().put("name", contains)).add(new JsonObject().put("email", contains.copy())));
    }
    String email = request.query("email");
    if (email != null) {
      query.put("email", email.toLowerCase(Locale.ROOT));
    }
    String role = request.query("role");
    if (role != null) {
      query.put("roles", role.toUpperCase(Locale.ROOT));
    }
    Page page = request.page();
    return clinics.require(clinicId)
        .compose(clinic -> clinicians.find(query, page))
        .map(ClinicianService::toApiArray);
  }

  public Future<JsonObject> get(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String userId = request.path("clinicianId");
    return requireMember(clinicId, userId).map(ClinicianDocuments::toApi);
  }

  public Future<JsonObject> getInvited(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String inviteId = request.path("inviteId");
    return requireInvite(clinicId, inviteId).map(ClinicianDocuments::toApi);
  }

  /** The internal create (hydrophone's invite records; also members with a user id). */
  public Future<JsonObject> create(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    JsonObject body = request.body();
    List<String> roles = Roles.parse(body.getValue("roles"));
    String email = optionalText(body, "email");
    if (email == null) {
      throw ServiceError.badRequest("email is required");
    }
    JsonObject clinician = newClinician(clinicId, roles)
        .put("email", email.toLowerCase(Locale.ROOT));
    putIfPresent(clinician, "userId", optionalText(body, "id"));
    putIfPresent(clinician, "inviteId", optionalText(body, "inviteId"));
    putIfPresent(clinician, "name", optionalText(body, "name"));
    return membership.run(clinicId, () -> requireMigratedClinic(clinicId).compose(clinic -> insertMember(clinicId, clinician)));
  }

  public Future<JsonObject> addServiceAccount(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    JsonObject body = request.body();
    String name = requiredText(body, "name");
    String clientId = requiredText(body, "client_id");
    String clientSecret = requiredText(body, "client_secret");
    return requireMigratedClinic(clinicId)
        .compose(clinic -> serviceAccounts.resolveUserId(clientId, clientSecret)
            .recover(failure -> Future.failedFuture(failure instanceof ServiceError error ? error
                : ServiceError.badRequest("the service account could not be resolved from client " + clientId))))
        // checked again under the lock: the clinic may have gone while the token endpoint answered
        .compose(userId -> membership.run(clinicId, () -> requireMigratedClinic(clinicId)
            .compose(clinic -> insertMember(clinicId, newClinician(clinicId, List.of(Roles.MEMBER))
                .put("userId", userId).put("name", name).put("isServiceAccount", true)))));
  }

  public Future<JsonObject> update(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String userId = request.path("clinicianId");
    JsonObject body = request.body();
    List<String> roles = Roles.parse(body.getValue("roles"));
    String name = optionalText(body, "name");
    if (body.containsKey("name") && (name == null || name.isBlank())) {
      throw ServiceError.badRequest("name must not be empty");
    }
    return membership.run(clinicId, () -> requireMigratedClinic(clinicId)
        .compose(clinic -> requireMember(clinicId, userId))
        .compose(current -> {
          boolean wasAdmin = Roles.isAdmin(current.getJsonArray("roles"));
          boolean willBeAdmin = Roles.isAdmin(roles);
          JsonObject set = new JsonObject().put("roles", new JsonArray(roles));
          putIfPresent(set, "name", name);
          JsonObject update = new JsonObject().put("$set", set);
          if (!Roles.sameRoles(current.getJsonArray("roles"), roles)) {
            update.put("$push", new JsonObject().put("rolesUpdates",
                new JsonObject().put("roles", new JsonArray(roles)).put("updatedBy", request.callerId())));
          }
          // optimistic lock: the roles we decided on must still be the stored ones
          JsonObject unchanged = new JsonObject().put("updatedTime", current.getValue("updatedTime"));
          String clinicianId = MongoJson.hex(current.getValue("_id"));
          Future<Void> adminsBefore = wasAdmin && !willBeAdmin ? clinics.removeAdmin(clinicId, userId).mapEmpty()
              : !wasAdmin && willBeAdmin ? clinics.addAdmin(clinicId, userId) : Future.succeededFuture();
          return adminsBefore.compose(v -> clinicians.update(clinicianId, unchanged, update)
              .transform(result -> {
                if (result.succeeded() && result.result() != null) {
                  return Future.succeededFuture(ClinicianDocuments.toApi(result.result()));
                }
                Throwable failure = result.failed() ? result.cause() : ServiceError.conflict(CONCURRENT_CHANGE);
                return undoAdminChange(clinicId, userId, wasAdmin, willBeAdmin).compose(undone -> Future.failedFuture(failure));
              }));
        }));
  }

  public Future<Void> delete(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String userId = request.path("clinicianId");
    return membership.run(clinicId, () -> requireMigratedClinic(clinicId)
        .compose(clinic -> requireMember(clinicId, userId))
        .compose(current -> {
          boolean wasAdmin = Roles.isAdmin(current.getJsonArray("roles"));
          Future<Void> adminsBefore = wasAdmin ? clinics.removeAdmin(clinicId, userId).mapEmpty() : Future.succeededFuture();
          return adminsBefore.compose(v -> archiveAndDelete(current, deletedBy(request))
              .transform(result -> {
                if (result.succeeded() && result.result() != null) {
                  return Future.succeededFuture();
                }
                Throwable failure = result.failed() ? result.cause() : ServiceError.notFound("clinician " + userId + " not found");
                return undoAdminChange(clinicId, userId, wasAdmin, false).compose(undone -> Future.<Void>failedFuture(failure));
              }));
        }));
  }

  /** Accepting an invite: the record gets the user id and the user's name, loses the invite id. */
  public Future<JsonObject> associate(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String inviteId = request.path("inviteId");
    String userId = requiredText(request.body(), "userId");
    return membership.run(clinicId, () -> requireMigratedClinic(clinicId)
        .compose(clinic -> requireInvite(clinicId, inviteId))
        .compose(invite -> clinicians.findByUser(clinicId, userId).compose(member -> member != null
            ? Future.failedFuture(ServiceError.conflict(ClinicianRepository.ALREADY_MEMBER))
            : users.find(userId))
            .compose(user -> {
              JsonObject set = new JsonObject().put("userId", userId);
              if (user != null && user.fullName() != null && !user.fullName().isBlank()) {
                set.put("name", user.fullName());
              }
              JsonObject update = new JsonObject().put("$set", set).put("$unset", new JsonObject().put("inviteId", ""));
              return clinicians.associate(invite, update);
            })
            .compose(associated -> {
              if (associated == null) {
                return Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found"));
              }
              Future<Void> admins = Roles.isAdmin(associated.getJsonArray("roles"))
                  ? clinics.addAdmin(clinicId, userId) : Future.succeededFuture();
              return admins.map(ClinicianDocuments.toApi(associated));
            })));
  }

  public Future<Void> deleteInvited(StoreRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String inviteId = request.path("inviteId");
    return membership.run(clinicId, () -> requireMigratedClinic(clinicId)
        .compose(clinic -> requireInvite(clinicId, inviteId))
        .compose(invite -> archiveAndDelete(invite, deletedBy(request)))
        .compose(deleted -> deleted != null ? Future.<Void>succeededFuture()
            : Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found"))));
  }

  public Future<JsonArray> listClinicsForClinician(StoreRequest request) {
    String userId = request.path("userId");
    return relationships(new JsonObject().put("userId", userId), request.page());
  }

  /** Every clinician record with its clinic, pending invites included (as upstream reports them). */
  public Future<JsonArray> listAll(StoreRequest request) {
    JsonObject query = new JsonObject();
    JsonObject created = request.createdTimeRange();
    if (!created.isEmpty()) {
      query.put("createdTime", created);
    }
    return relationships(query, request.page());
  }

  /** For the api's authorisation: the caller's roles in the clinic, empty when not a member. */
  public Future<JsonObject> callerRoles(JsonObject body) {
    String clinicId = body.getString("clinicId");
    String userId = body.getString("userId");
    if (!MongoJson.isObjectId(clinicId) || userId == null) {
      return Future.succeededFuture(new JsonObject().put("roles", new JsonArray()));
    }
    return clinicians.findByUser(clinicId, userId)
        .map(member -> new JsonObject().put("roles", member == null ? new JsonArray() : member.getJsonArray("roles", new JsonArray())));
  }

  /** For notifications: the clinic's name and the user's name and email (member record, else directory). */
  public Future<JsonObject> notice(JsonObject body) {
    String clinicId = MongoJson.requireObjectId("clinicId", body.getString("clinicId"));
    String userId = body.getString("userId");
    return clinics.require(clinicId).compose(clinic -> {
      JsonObject notice = new JsonObject().put("clinicName", clinic.getString("name"))
          .putNull("clinicianName").putNull("clinicianEmail");
      if (userId == null) {
        return Future.succeededFuture(notice);
      }
      return clinicians.findByUser(clinicId, userId).compose(member -> {
        if (member != null && member.getString("name") != null) {
          return Future.succeededFuture(notice.put("clinicianName", member.getString("name"))
              .put("clinicianEmail", member.getString("email")));
        }
        return users.find(userId).map(user -> user == null ? notice : notice
            .put("clinicianName", user.fullName())
            .put("clinicianEmail", member != null && member.getString("email") != null ? member.getString("email") : user.email()));
      });
    });
  }

  /** Creates the first admin of a new clinic (no migration check: a new clinic is migrated). */
  public Future<JsonObject> insertFirstAdmin(String clinicId, User creator) {
    JsonObject admin = newClinician(clinicId, List.of(Roles.ADMIN)).put("userId", creator.id());
    putIfPresent(admin, "email", creator.email() == null ? null : creator.email().toLowerCase(Locale.ROOT));
    putIfPresent(admin, "name", creator.fullName());
    return clinicians.insert(admin);
  }

  /** Removes every clinician record of a clinic being deleted (archived; no last-admin rule). Callers hold the clinic's lock. */
  public Future<Void> deleteAllOfClinic(String clinicId, String deletedByUserId) {
    return forEachOfClinic(clinicId, clinician -> archiveAndDelete(clinician, deletedByUserId).mapEmpty());
  }

  /** Undoes the clinician records of a clinic whose creation failed (nothing to archive). */
  public Future<Void> discardAllOfClinic(String clinicId) {
    return forEachOfClinic(clinicId, clinician -> clinicians.delete(MongoJson.hex(clinician.getValue("_id"))).mapEmpty());
  }

  private Future<Void> forEachOfClinic(String clinicId, java.util.function.Function<JsonObject, Future<Void>> action) {
    return clinicians.find(new JsonObject().put("clinicId", MongoJson.oid(clinicId)), null).compose(all -> {
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject clinician : all) {
        chain = chain.compose(v -> action.apply(clinician));
      }
      return chain;
    });
  }

  private Future<JsonObject> insertMember(String clinicId, JsonObject clinician) {
    return clinicians.insert(clinician).compose(inserted -> {
      String userId = inserted.getString("userId");
      if (userId == null || !Roles.isAdmin(inserted.getJsonArray("roles"))) {
        return Future.succeededFuture(ClinicianDocuments.toApi(inserted));
      }
      return clinics.addAdmin(clinicId, userId)
          .map(ClinicianDocuments.toApi(inserted))
          .recover(failure -> clinicians.delete(MongoJson.hex(inserted.getValue("_id")))
              .transform(undone -> Future.failedFuture(failure)));
    });
  }

  private Future<JsonObject> archiveAndDelete(JsonObject clinician, String deletedByUserId) {
    String clinicianId = MongoJson.hex(clinician.getValue("_id"));
    return archive.archiveThenDelete(DeletionArchive.CLINICIAN_DELETIONS, "clinician", clinician, deletedByUserId,
        () -> clinicians.delete(clinicianId));
  }

  private Future<Void> undoAdminChange(String clinicId, String userId, boolean wasAdmin, boolean willBeAdmin) {
    Future<Void> undo = wasAdmin && !willBeAdmin ? clinics.addAdmin(clinicId, userId)
        : !wasAdmin && willBeAdmin ? clinics.removeAdmin(clinicId, userId).mapEmpty() : Future.succeededFuture();
    return undo.recover(ignored -> Future.succeededFuture());
  }

  private Future<JsonArray> relationships(JsonObject query, Page page) {
    return clinicians.find(query, page).compose(members -> {
      List<String> clinicIds = members.stream().map(m -> MongoJson.hex(m.getValue("clinicId"))).distinct().toList();
      return clinics.findByIds(clinicIds).map(found -> {
        Map<String, JsonObject> byId = new LinkedHashMap<>();
        found.forEach(clinic -> byId.put(MongoJson.hex(clinic.getValue("_id")), clinic));
        JsonArray pairs = new JsonArray();
        for (JsonObject member : members) {
          JsonObject clinic = byId.get(MongoJson.hex(member.getValue("clinicId")));
          if (clinic != null) {
            pairs.add(new JsonObject().put("clinician", ClinicianDocuments.toApi(member))
                .put("clinic", ClinicDocuments.toApi(clinic)));
          }
        }
        return pairs;
      });
    });
  }

  private Future<JsonObject> requireMigratedClinic(String clinicId) {
    return clinics.require(clinicId).compose(clinic -> clinic.getBoolean("isMigrated", false)
        ? Future.succeededFuture(clinic)
        : Future.failedFuture(ServiceError.unprocessable(NOT_MIGRATED)));
  }

  private Future<JsonObject> requireMember(String clinicId, String userId) {
    return clinicians.findByUser(clinicId, userId).compose(member -> member != null
        ? Future.succeededFuture(member)
        : Future.failedFuture(ServiceError.notFound("clinician " + userId + " not found in clinic " + clinicId)));
  }

  private Future<JsonObject> requireInvite(String clinicId, String inviteId) {
    return clinicians.findByInvite(clinicId, inviteId).compose(invite -> invite != null
        ? Future.succeededFuture(invite)
        : Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found in clinic " + clinicId)));
  }

  private static JsonObject newClinician(String clinicId, List<String> roles) {
    JsonObject now = MongoJson.date(Instant.now());
    return new JsonObject()
        .put("_id", MongoJson.oid(MongoJson.newId()))
        .put("clinicId", MongoJson.oid(clinicId))
        .put("roles", new JsonArray(roles))
        .put("createdTime", now)
        .put("updatedTime", now);
  }

  static String deletedBy(StoreRequest request) {
    return request.callerIsServer() ? null : request.callerId();
  }

  private static JsonArray toApiArray(List<JsonObject> docs) {
    JsonArray result = new JsonArray();
    docs.forEach(doc -> result.add(ClinicianDocuments.toApi(doc)));
    return result;
  }

  private static String optionalText(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ServiceError.badRequest(field + " must be a string");
    }
    return text.trim().isEmpty() ? null : text.trim();
  }

  private static String requiredText(JsonObject body, String field) {
    String value = optionalText(body, field);
    if (value == null) {
      throw ServiceError.badRequest(field + " is required");
    }
    return value;
  }

  private static void putIfPresent(JsonObject target, String field, String value) {
    if (value != null) {
      target.put(field, value);
    }
  }
}
