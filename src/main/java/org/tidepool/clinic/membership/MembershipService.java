package org.tidepool.clinic.membership;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tidepool.clinic.clinicians.ClinicianFilter;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.clinicians.Clinician;
import org.tidepool.clinic.clinicians.ClinicianRepository;
import org.tidepool.clinic.clinicians.ClinicianService;
import org.tidepool.clinic.clinicians.Roles;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * Every change of a clinic's clinicians, under the clinic's {@link ClinicMembershipLock}:
 * migrated clinics only, unique members, the clinic's {@code admins} kept in step with the roles
 * (never empty: the admins change first, and is undone when the clinician write fails), role
 * changes audited, deletions archived.
 */
public final class MembershipService {
  static final String CONCURRENT_CHANGE = "the clinician was changed by another request; try again";

  private final ClinicRepository clinicDocuments;
  private final ClinicService clinics;
  private final ClinicianRepository clinicianDocuments;
  private final ClinicianService clinicians;
  private final UserDirectory users;
  private final ServiceAccounts serviceAccounts;
  private final ClinicMembershipLock membership;

  public MembershipService(ClinicRepository clinicDocuments, ClinicService clinics, ClinicianRepository clinicianDocuments,
                           ClinicianService clinicians, UserDirectory users, ServiceAccounts serviceAccounts,
                           ClinicMembershipLock membership) {
    this.clinicDocuments = clinicDocuments;
    this.clinics = clinics;
    this.clinicianDocuments = clinicianDocuments;
    this.clinicians = clinicians;
    this.users = users;
    this.serviceAccounts = serviceAccounts;
    this.membership = membership;
  }

  /** A new clinician record of {@code clinicId} (a member when it has a user id, else an invite), with a fresh id. */
  public static Clinician newClinician(String clinicId, Roles roles) {
    return Clinician.create(MongoJson.newId(), clinicId, roles, Instant.now());
  }

  /** Adds a record (hydrophone's invites; also members with a user id, who join the admins when admin). */
  public Future<Clinician> addClinician(Clinician clinician) {
    String clinicId = clinician.clinicId();
    return membership.run(clinicId, () -> clinics.getMigrated(clinicId).compose(clinic -> insertMember(clinician)));
  }

  /** Adds the service account of OAuth client {@code clientId} as a member named {@code name}. */
  public Future<Clinician> addServiceAccount(String clinicId, String name, String clientId, String clientSecret) {
    return clinics.getMigrated(clinicId)
        .compose(clinic -> serviceAccounts.resolveUserId(clientId, clientSecret)
            .recover(failure -> Future.failedFuture(failure instanceof ServiceError error ? error
                : ServiceError.badRequest("the service account could not be resolved from client " + clientId))))
        // checked again under the lock: the clinic may have gone while the token endpoint answered
        .compose(userId -> membership.run(clinicId, () -> clinics.getMigrated(clinicId)
            .compose(clinic -> insertMember(newClinician(clinicId, Roles.of(Roles.MEMBER))
                .withUser(userId).withName(name).asServiceAccount()))));
  }

  /**
   * Sets the member's roles (and name, when not null); {@code updatedBy} is recorded with a
   * change of roles. 409 when the record changed between its read and the write.
   */
  public Future<Clinician> updateClinician(String clinicId, String userId, Roles roles, String name, String updatedBy) {
    return membership.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.get(clinicId, userId))
        .compose(current -> {
          boolean wasAdmin = current.roles().isAdmin();
          boolean willBeAdmin = roles.isAdmin();
          Future<Void> adminsBefore = wasAdmin && !willBeAdmin ? clinicDocuments.removeAdmin(clinicId, userId).mapEmpty()
              : !wasAdmin && willBeAdmin ? clinicDocuments.addAdmin(clinicId, userId) : Future.succeededFuture();
          // optimistic: the record must still be at the revision our decision was read from
          return adminsBefore.compose(v -> clinicianDocuments.updateRoles(current, roles, name, updatedBy)
              .transform(result -> {
                if (result.succeeded() && result.result() != null) {
                  return Future.succeededFuture(result.result());
                }
                Throwable failure = result.failed() ? result.cause() : ServiceError.conflict(CONCURRENT_CHANGE);
                return undoAdminChange(clinicId, userId, wasAdmin, willBeAdmin).compose(undone -> Future.failedFuture(failure));
              }));
        }));
  }

  /** Removes the member (archived); 422 when they are the last admin. {@code deletedBy} is null for a service. */
  public Future<Void> deleteClinician(String clinicId, String userId, String deletedBy) {
    return membership.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.get(clinicId, userId))
        .compose(current -> {
          boolean wasAdmin = current.roles().isAdmin();
          Future<Void> adminsBefore = wasAdmin ? clinicDocuments.removeAdmin(clinicId, userId).mapEmpty() : Future.succeededFuture();
          return adminsBefore.compose(v -> clinicianDocuments.archiveAndDelete(current.id(), deletedBy)
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
  public Future<Clinician> associate(String clinicId, String inviteId, String userId) {
    return membership.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.getInvited(clinicId, inviteId))
        .compose(invite -> clinicianDocuments.findByUser(clinicId, userId).compose(member -> member != null
            ? Future.failedFuture(ServiceError.conflict(ClinicianRepository.ALREADY_MEMBER))
            : users.find(userId))
            .compose(user -> clinicianDocuments.associate(invite, userId,
                user != null && user.fullName() != null && !user.fullName().isBlank() ? user.fullName() : null))
            .compose(associated -> {
              if (associated == null) {
                return Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found"));
              }
              Future<Void> admins = associated.roles().isAdmin() ? clinicDocuments.addAdmin(clinicId, userId) : Future.succeededFuture();
              return admins.map(associated);
            })));
  }

  /** Removes an invite record (archived). */
  public Future<Void> deleteInvited(String clinicId, String inviteId, String deletedBy) {
    return membership.run(clinicId, () -> clinics.getMigrated(clinicId)
        .compose(clinic -> clinicians.getInvited(clinicId, inviteId))
        .compose(invite -> clinicianDocuments.archiveAndDelete(invite.id(), deletedBy))
        .compose(deleted -> deleted != null ? Future.<Void>succeededFuture()
            : Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found"))));
  }

  /**
   * Account deletion (rule 30): removes (archives) every clinician record of the user and drops
   * them from each clinic's admins, even when that leaves a clinic without admin. Each clinic is
   * one repeatable step under its lock. The result: the clinics left without any clinician record.
   */
  public Future<List<String>> removeUserEverywhere(String userId) {
    return clinicianDocuments.find(ClinicianFilter.ofUser(userId), null).compose(records -> {
      List<String> orphaned = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (Clinician record : records) {
        String clinicId = record.clinicId();
        chain = chain.compose(v -> membership.run(clinicId, () -> clinicDocuments.dropAdmin(clinicId, userId)
            .compose(dropped -> clinicianDocuments.archiveAndDelete(record.id(), null))
            .compose(deleted -> clinicianDocuments.find(ClinicianFilter.ofClinic(clinicId), new Page(0, 1)))
            .map(left -> {
              if (left.isEmpty()) {
                orphaned.add(clinicId);
              }
              return null;
            })));
      }
      return chain.map(orphaned);
    });
  }

  private Future<Clinician> insertMember(Clinician clinician) {
    return clinicianDocuments.insert(clinician).compose(inserted -> {
      if (inserted.userId() == null || !inserted.roles().isAdmin()) {
        return Future.succeededFuture(inserted);
      }
      return clinicDocuments.addAdmin(inserted.clinicId(), inserted.userId())
          .map(inserted)
          .recover(failure -> clinicianDocuments.discard(inserted.id()).transform(undone -> Future.failedFuture(failure)));
    });
  }

  private Future<Void> undoAdminChange(String clinicId, String userId, boolean wasAdmin, boolean willBeAdmin) {
    Future<Void> undo = wasAdmin && !willBeAdmin ? clinicDocuments.addAdmin(clinicId, userId)
        : !wasAdmin && willBeAdmin ? clinicDocuments.removeAdmin(clinicId, userId).mapEmpty() : Future.succeededFuture();
    return undo.recover(ignored -> Future.succeededFuture());
  }
}
