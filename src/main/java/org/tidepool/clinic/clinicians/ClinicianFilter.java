package org.tidepool.clinic.clinicians;

import java.time.Instant;

/**
 * Which clinician records a list returns; null fields do not filter. {@code search} matches name
 * or email, case-insensitively, as a literal; {@code createdBefore} is exclusive.
 */
public record ClinicianFilter(String clinicId, String userId, String search, String email, String role,
                              Instant createdFrom, Instant createdBefore) {
  public static ClinicianFilter ofClinic(String clinicId) {
    return new ClinicianFilter(clinicId, null, null, null, null, null, null);
  }

  public static ClinicianFilter ofUser(String userId) {
    return new ClinicianFilter(null, userId, null, null, null, null, null);
  }
}
