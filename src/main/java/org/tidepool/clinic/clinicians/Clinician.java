package org.tidepool.clinic.clinicians;

import java.time.Instant;

/**
 * A clinician record of a clinic: a member (with {@code userId}) or a pending invite (with
 * {@code inviteId}). {@code id} is the record's {@code _id}; the API names a member by its user id.
 */
public record Clinician(String id, String clinicId, String userId, String inviteId, String email, String name,
                        Roles roles, boolean serviceAccount, Instant createdTime, Instant updatedTime, long revision) {

  /** A new record of {@code clinicId}, created at {@code now}, with neither user nor invite yet. */
  public static Clinician create(String id, String clinicId, Roles roles, Instant now) {
    return new Clinician(id, clinicId, null, null, null, null, roles, false, now, now, 0);
  }

  public Clinician withUser(String userId) {
    return new Clinician(id, clinicId, userId, inviteId, email, name, roles, serviceAccount, createdTime, updatedTime, revision);
  }

  public Clinician withInvite(String inviteId) {
    return new Clinician(id, clinicId, userId, inviteId, email, name, roles, serviceAccount, createdTime, updatedTime, revision);
  }

  public Clinician withEmail(String email) {
    return new Clinician(id, clinicId, userId, inviteId, email, name, roles, serviceAccount, createdTime, updatedTime, revision);
  }

  public Clinician withName(String name) {
    return new Clinician(id, clinicId, userId, inviteId, email, name, roles, serviceAccount, createdTime, updatedTime, revision);
  }

  public Clinician asServiceAccount() {
    return new Clinician(id, clinicId, userId, inviteId, email, name, roles, true, createdTime, updatedTime, revision);
  }
}
