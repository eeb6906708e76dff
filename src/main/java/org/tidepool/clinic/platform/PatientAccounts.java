package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import org.tidepool.clinic.common.ServiceError;

/**
 * Patients' accounts outside the clinic service (shoreline + seagull in Tidepool, the embedded
 * user directory otherwise): custodial accounts a clinic creates, and what an account and its
 * profile say about a patient.
 */
public interface PatientAccounts {
  String EMAIL_TAKEN = "email address is already taken";

  /** For wirings without a user directory that keeps accounts: every call fails with 503. */
  PatientAccounts UNAVAILABLE = new PatientAccounts() {
    @Override
    public Future<String> createCustodialUser(String clinicId, String email) {
      return unavailable();
    }

    @Override
    public Future<Void> updateCustodialUser(String userId, String email) {
      return unavailable();
    }

    @Override
    public Future<PatientProfile> patientProfile(String userId) {
      return unavailable();
    }

    @Override
    public Future<Void> deleteAccount(String userId) {
      return unavailable();
    }

    private <T> Future<T> unavailable() {
      return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, "patient accounts are not available"));
    }
  };

  /**
   * Creates a clinic-custodial account for a patient of {@code clinicId} with {@code email} as
   * its username and only email ({@code email} may be null: an account without email); its new
   * user id. Fails with 409 {@link #EMAIL_TAKEN} when another account has the email.
   */
  Future<String> createCustodialUser(String clinicId, String email);

  /** Sets a custodial account's username and emails to {@code email} (null: no email); 409 when another account has it. */
  Future<Void> updateCustodialUser(String userId, String email);

  /** The account's username and the profile's patient details, or null when no such user exists. */
  Future<PatientProfile> patientProfile(String userId);

  /** Deletes the account (shoreline {@code DELETE /user/{id}}); one that is gone already is no failure. */
  Future<Void> deleteAccount(String userId);
}
