package org.tidepool.clinic.patients;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A patient record: one user in one clinic. {@code id} is the record's {@code _id}; the API
 * names a patient by its {@code userId}. Lists are null when the document has none;
 * {@code glycemicRanges} and {@code summary} are kept as stored (their shapes are the contract's).
 */
public record Patient(String id, String clinicId, String userId, String email, String fullName, String birthDate,
                      String mrn, List<String> targetDevices, List<String> tags, List<Site> sites,
                      List<DataSource> dataSources, Set<String> permissions, List<Review> reviews,
                      Map<String, List<ConnectionRequest>> connectionRequests, Instant lastUploadReminderTime,
                      JsonObject glycemicRanges, String diagnosisType, JsonObject summary, String invitedBy,
                      boolean requireUniqueMrn, boolean migrated, List<String> legacyClinicianIds,
                      Boolean attestationSubmitted, Instant createdTime, Instant updatedTime, long revision) {

  /** A site of the clinic, copied onto the patient with the clinic's name for it. */
  public record Site(String id, String name) {}

  /** A data provider the patient's account is connected to (or asked to connect). */
  public record DataSource(String dataSourceId, String providerName, String state, Instant modifiedTime,
                           Instant expirationTime, Instant latestDataTime) {}

  /** A clinician marked the patient reviewed at {@code time}. */
  public record Review(String clinicianId, Instant time) {}

  /** The clinic asked the patient to connect {@code providerName} at {@code createdTime}. */
  public record ConnectionRequest(String providerName, Instant createdTime) {}

  /** A custodial patient's account is managed by the clinic until the patient claims it. */
  public boolean custodial() {
    return permissions != null && permissions.contains(Permissions.CUSTODIAN);
  }
}
