package org.tidepool.clinic.platform;

import io.vertx.core.Future;

/**
 * The signup invite of a custodial account (hydrophone's {@code POST /confirm/send/signup/{userId}}
 * with {@code {clinicId, invitedBy}}). Hydrophone mails it itself; the embedded adapter keeps the
 * invite and hands back what the caller must mail.
 */
public interface SignupInvites {
  enum Status { SENT, ALREADY_INVITED, USER_GONE }

  /** What must be mailed by the caller (embedded mode only): the invite's key and address. */
  record Invitation(String key, String email) {}

  /** @param toMail null when nothing is for the caller to mail (hydrophone did, or there is no email) */
  record Outcome(Status status, Invitation toMail) {}

  /** @param invitedBy may be null */
  Future<Outcome> sendSignup(String userId, String clinicId, String invitedBy);
}
