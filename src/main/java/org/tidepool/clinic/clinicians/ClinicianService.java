package org.tidepool.clinic.clinicians;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.platform.UserDirectory;

/** Clinician reads, in domain values. Every change of a clinic's clinicians is the membership's. */
public final class ClinicianService {
  private final ClinicianRepository clinicians;
  private final ClinicService clinics;
  private final UserDirectory users;

  public ClinicianService(ClinicianRepository clinicians, ClinicService clinics, UserDirectory users) {
    this.clinicians = clinicians;
    this.clinics = clinics;
    this.users = users;
  }

  /** What a notice about a clinic member needs: the clinic's name, the member's name and email (either may be null). */
  public record Notice(String clinicName, String clinicianName, String clinicianEmail) {}

  /** The clinicians of the filter's clinic that match it; 404 when the clinic does not exist. */
  public Future<List<Clinician>> list(ClinicianFilter filter, Page page) {
    return clinics.get(filter.clinicId()).compose(clinic -> clinicians.find(filter, page));
  }

  /** The member {@code userId} of the clinic, or a 404. */
  public Future<Clinician> get(String clinicId, String userId) {
    return clinicians.findByUser(clinicId, userId).compose(member -> member != null
        ? Future.succeededFuture(member)
        : Future.failedFuture(ServiceError.notFound("clinician " + userId + " not found in clinic " + clinicId)));
  }

  /** The invite record {@code inviteId} of the clinic, or a 404. */
  public Future<Clinician> getInvited(String clinicId, String inviteId) {
    return clinicians.findByInvite(clinicId, inviteId).compose(invite -> invite != null
        ? Future.succeededFuture(invite)
        : Future.failedFuture(ServiceError.notFound("invite " + inviteId + " not found in clinic " + clinicId)));
  }

  /** The clinics {@code userId} is a member of, with the member records. */
  public Future<List<ClinicMembership>> clinicsOf(String userId, Page page) {
    return withClinics(clinicians.find(ClinicianFilter.ofUser(userId), page));
  }

  /** Every clinician record with its clinic, pending invites included (as upstream reports them). */
  public Future<List<ClinicMembership>> listAll(Instant createdFrom, Instant createdBefore, Page page) {
    return withClinics(clinicians.find(new ClinicianFilter(null, null, null, null, null, createdFrom, createdBefore), page));
  }

  /** The user's roles in the clinic; none when not a member (or the clinic id is malformed). */
  public Future<Roles> rolesOf(String clinicId, String userId) {
    if (!MongoJson.isObjectId(clinicId) || userId == null) {
      return Future.succeededFuture(Roles.NONE);
    }
    return clinicians.rolesOf(clinicId, userId).map(roles -> roles == null ? Roles.NONE : roles);
  }

  /** The notice about {@code userId} (may be null) in the clinic: member record, else the user directory; 404 when the clinic is gone. */
  public Future<Notice> notice(String clinicId, String userId) {
    return clinics.get(clinicId).compose(clinic -> {
      String clinicName = clinic.profile().name();
      if (userId == null) {
        return Future.succeededFuture(new Notice(clinicName, null, null));
      }
      return clinicians.findByUser(clinicId, userId).compose(member -> {
        if (member != null && member.name() != null) {
          return Future.succeededFuture(new Notice(clinicName, member.name(), member.email()));
        }
        return users.find(userId).map(user -> user == null ? new Notice(clinicName, null, null)
            : new Notice(clinicName, user.fullName(), member != null && member.email() != null ? member.email() : user.email()));
      });
    });
  }

  private Future<List<ClinicMembership>> withClinics(Future<List<Clinician>> found) {
    return found.compose(members -> {
      List<String> clinicIds = members.stream().map(Clinician::clinicId).distinct().toList();
      return clinics.findByIds(clinicIds).map(clinicsFound -> {
        Map<String, Clinic> byId = new LinkedHashMap<>();
        clinicsFound.forEach(clinic -> byId.put(clinic.id(), clinic));
        return members.stream().filter(member -> byId.containsKey(member.clinicId()))
            .map(member -> new ClinicMembership(member, byId.get(member.clinicId()))).toList();
      });
    });
  }
}
