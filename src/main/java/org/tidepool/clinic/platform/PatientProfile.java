package org.tidepool.clinic.platform;

import java.util.List;

/**
 * What a user's account and profile say for a patient record: the account's {@code username}
 * (the patient's email) and the profile's patient details. Any of them may be null.
 */
public record PatientProfile(String userId, String username, String fullName, String birthday, String mrn,
                             List<String> targetDevices) {}
