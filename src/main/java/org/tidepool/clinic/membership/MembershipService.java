package org.tidepool.clinic.membership;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.clinicians.Clinician;
import org.tidepool.clinic.clinicians.ClinicianFilter;
import org.tidepool.clinic.clinicians.ClinicianRepository;
import org.tidepool.clinic.clinicians.ClinicianService;
import org.tidepool.clinic.clinicians.Roles;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.Intent;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * Every change of a clinic's clinicians, under the clinic's {@link ClinicLock}: migrated clinics
 * only, unique members, the clinic's {@code admins} kept in step with the roles (never empty: an
 * admin leaves {@code admins} before their record changes), role changes audited, deletions
 * archived. Each change is a recorded intent ({@link IntentLog}): when a crash or a failure cuts
 * it short, the clinician record decides: {@code admins} is made to match the records' roles,
 * and the archive of a record that is still there is removed.
 */
public final class MembershipService {
  static final String CONCURRENT_CHANGE = "the clinician was changed by another request; try again";
  static final String CLINICIAN_CHANGE = "ClinicianChange";
  private static final String DELETED_CLINICIAN = "deletedClinicianId";

  private final ClinicRepository clinicDocuments;
  private final ClinicService clinics;
  private final ClinicianRepository clinicianDocuments;
  private final ClinicianService clinicians;
  private final UserDirectory users;
  private final ServiceAccounts serviceAccounts;
  private final ClinicLock locks;
  private final IntentLog intents;

  public MembershipService(ClinicRepository clinicDocuments, ClinicService clinics, ClinicianRepository clinicianDocuments,
                           ClinicianService clinicians, UserDirectory users, ServiceAccounts serviceAccounts,
                           ClinicLock locks, IntentLog intents) {
    this.clinicDocuments = clinicDocuments;
    this.clinics = clinics;
    this.clinicianDocuments = clinicianDocuments;
    this.clinicians = clinicians;
    this.users = users;
    this.serviceAccounts = serviceAccounts;
    this.locks = locks;
    this.intents = intents;
    intents.register(CLINICIAN_CHANGE, this::converge);
  }

  /** A new clinician record of {@code clinicId} (a member when it has a user id, else an invite), with a fresh id. */
  public static Clinician newClinician(String clinicId, Roles roles) {
    return Clinician.create(MongoJson.newId(), clinicId, roles, Instant.now());
  }

  /** Adds a record (hydrophone's invites; also members with a user id, who join the admins when admin). */
  public Future<Clinician> addClinician(Clinician clinician) {
    String clinicId = clinician.clinicId();
    return locks.run(clinicId, () -> clinics.getMigrated(clinicId).compose(clinic -> insertMember(clinician)));
  }

  /** Adds the service account of OAuth client {@code clientId} as a member named {@code name}. */
  public Future<Clinician> addServiceAccount(String clinicId, String name, String clientId, String clientSecret) {
    return clinics.getMigrated(clinicId)
        .compose(clinic -> serviceAccounts.resolveUserId(clientId, clientSecret)
            .recover(failure -> Future.failedFuture(failure instanceof ServiceError error ? error
                : ServiceError.badRequest("the service account could not be resolved from client " + clientId))))
        // checked again under the lock: the clinic may have gone while the token endpoint answered
        .compose(userId -> locks.run(clinicId, () -> clinics.getMigrated(clinicId)
            .compose(clinic -> insertMember(newClinician(clinicId, Roles.of(Roles.MEMBER))
                .withUser(userId).withName(name).asServiceAccount()))));
  }

  /**
   * Sets the member's roles (and name, when not null); {@code updatedBy} is recorded with a
   * change of roles. 409 when the record changed between its read and the write.
   */
  public Future<Clinician> updateClinician(String clinicId, String userId, Roles roles, String name, String updatedBy) {
    return locks.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.get(clinicId, userId))
        .compose(current -> change(clinicId, new JsonObject(), steps -> {
          boolean wasAdmin = current.roles().isAdmin();
          boolean willBeAdmin = roles.isAdmin();
          Future<Void> adminsBefore = wasAdmin && !willBeAdmin ? clinicDocuments.removeAdmin(clinicId, userId).mapEmpty()
              : !wasAdmin && willBeAdmin ? clinicDocuments.addAdmin(clinicId, userId) : Future.succeededFuture();
          // optimistic: the record must still be at the revision our decision was read from
          return adminsBefore.compose(v -> steps.reached("admins-changed"))
              .compose(v -> clinicianDocuments.updateRoles(current, roles, name, updatedBy))
              .compose(updated -> updated != null ? Future.succeededFuture(updated)
                  : Future.failedFuture(ServiceError.conflict(CONCURRENT_CHANGE)));
        })));
  }

  /** Removes the member (archived); 422 when they are the last admin. {@code deletedBy} is null for a service. */
  public Future<Void> deleteClinician(String clinicId, String userId, String deletedBy) {
    return locks.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.get(clinicId, userId))
        .compose(current -> change(clinicId, new JsonObject().put(DELETED_CLINICIAN, current.id()), steps -> {
          Future<Void> adminsBefore = current.roles().isAdmin()
              ? clinicDocuments.removeAdmin(clinicId, userId).mapEmpty() : Future.succeededFuture();
          return adminsBefore.compose(v -> steps.reached("admins-changed"))
              .compose(v -> clinicianDocuments.archiveAndDelete(current.id(), deletedBy, () -> steps.reached("archived")))
              .compose(deleted -> deleted != null ? Future.<Void>succeededFuture()
                  : Future.failedFuture(ServiceError.notFound("clinician " + userId + " not found")));
        })));
  }

  /** Accepting an invite: the record gets the user id and the user's name, loses the invite id. */
  public Future<Clinician> associate(String clinicId, String inviteId, String userId) {
    return locks.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.getInvited(clinicId, inviteId))
        .compose(invite -> clinicianDocuments.findByUser(clinicId, userId).compose(member -> member != null
            ? Future.failedFuture(ServiceError.conflict(ClinicianRepository.ALREADY_MEMBER))
            : users.find(userId))
            .compose(user -> change(clinicId, new JsonObject(), steps -> clinicianDocuments.associate(invite, userId,
                    user != null && user.fullName() != null && !user.fullName().isBlank() ? user.fullName() : null)
                .compose(associated -> associated == null
                    ? Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found"))
                    : steps.reached("clinician-written").compose(v -> joinAdminsIfAdmin(associated)))))));
  }

  /** Removes an invite record (archived). */
  public Future<Void> deleteInvited(String clinicId, String inviteId, String deletedBy) {
    return locks.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.getInvited(clinicId, inviteId))
        .compose(invite -> change(clinicId, new JsonObject().put(DELETED_CLINICIAN, invite.id()), steps ->
            clinicianDocuments.archiveAndDelete(invite.id(), deletedBy, () -> steps.reached("archived"))))
        .compose(deleted -> deleted != null ? Future.<Void>succeededFuture()
            : Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found"))));
  }

  /** The clinics the user has a clinician record in. */
  public Future<List<String>> clinicsOf(String userId) {
    return clinicianDocuments.find(ClinicianFilter.ofUser(userId), null)
        .map(records -> records.stream().map(Clinician::clinicId).distinct().toList());
  }

  /** Whether the clinic has no clinician record left (the caller holds the clinic's lock). */
  public Future<Boolean> withoutClinicians(String clinicId) {
    return clinicianDocuments.find(ClinicianFilter.ofClinic(clinicId), new Page(0, 1)).map(List::isEmpty);
  }

  /**
   * Account deletion (rule 30): removes (archives) every clinician record of the user and drops
   * them from each clinic's admins, even when that leaves a clinic without admin. Each clinic is
   * one repeatable step under its lock.
   */
  public Future<Void> removeUserEverywhere(String userId) {
    return clinicianDocuments.find(ClinicianFilter.ofUser(userId), null).compose(records -> {
      Future<Void> chain = Future.succeededFuture();
      for (Clinician record : records) {
        String clinicId = record.clinicId();
        chain = chain.compose(v -> locks.run(clinicId, () -> change(clinicId, new JsonObject().put(DELETED_CLINICIAN, record.id()),
                steps -> clinicDocuments.dropAdmin(clinicId, userId)
                    .compose(dropped -> clinicianDocuments.archiveAndDelete(record.id(), null, () -> steps.reached("archived"))))
            .mapEmpty()));
      }
      return chain;
    });
  }

  private Future<Clinician> insertMember(Clinician clinician) {
    return change(clinician.clinicId(), new JsonObject(), steps -> clinicianDocuments.insert(clinician)
        .compose(inserted -> steps.reached("clinician-written").compose(v -> joinAdminsIfAdmin(inserted))));
  }

  private Future<Clinician> joinAdminsIfAdmin(Clinician member) {
    return member.userId() == null || !member.roles().isAdmin() ? Future.succeededFuture(member)
        : clinicDocuments.addAdmin(member.clinicId(), member.userId()).map(member);
  }

  private <T> Future<T> change(String clinicId, JsonObject params, Function<IntentLog.Steps, Future<T>> change) {
    return intents.run(CLINICIAN_CHANGE, clinicId, params, change);
  }

  /** After a change was cut short: the clinician records decide what the clinic's admins and the archive show. */
  private Future<Void> converge(Intent intent) {
    String deleted = intent.params().getString(DELETED_CLINICIAN);
    Future<Void> archive = deleted == null ? Future.succeededFuture()
        : clinicianDocuments.findById(deleted).compose(stillThere -> stillThere == null ? Future.succeededFuture()
            : clinicianDocuments.unarchive(deleted));
    return archive.compose(v -> reconcileAdmins(intent.clinicId()));
  }

  /** The clinic's admins become the user ids of its admin records, unless there are none (the last admin is never removed). */
  private Future<Void> reconcileAdmins(String clinicId) {
    return clinicianDocuments.find(ClinicianFilter.ofClinic(clinicId), null).compose(records -> {
      List<String> admins = records.stream()
          .filter(record -> record.userId() != null && record.roles().isAdmin())
          .map(Clinician::userId)
          .distinct()
          .toList();
      return clinicDocuments.findById(clinicId).compose(clinic ->
          clinic == null || admins.isEmpty() || Set.copyOf(admins).equals(Set.copyOf(clinic.admins()))
              ? Future.succeededFuture()
              : clinicDocuments.replaceAdmins(clinicId, admins));
    });
  }
}
