package org.tidepool.clinic.platform;

import io.vertx.core.Future;

/**
 * Users and profiles live outside the clinic service (shoreline + seagull in Tidepool). The
 * embedded adapter keeps the users seen in tokens in its own Mongo collection.
 */
public interface UserDirectory {

  /** The user, or a succeeded future with null when no such user exists. */
  Future<User> find(String userId);

  /** Records what a token says about its user; a no-op where another service owns users. */
  Future<Void> remember(User user);

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

  String EMAIL_TAKEN = "email address is already taken";
}
