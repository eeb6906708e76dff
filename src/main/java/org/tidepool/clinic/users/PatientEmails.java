package org.tidepool.clinic.users;

import io.vertx.core.Future;

/**
 * The patient side of a user's email change: the email on every patient record of the user
 * (removed when null, as upstream does). The patients domain provides it; {@link #NONE} stands
 * in until it does.
 */
@FunctionalInterface
public interface PatientEmails {
  PatientEmails NONE = (userId, email) -> Future.succeededFuture();

  Future<Void> update(String userId, String email);
}
