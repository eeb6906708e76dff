package org.tidepool.clinic.patients;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The details of a patient a client sets (create or update). In an update (rule 19) fullName,
 * birthDate, email, mrn and targetDevices replace the stored ones (null: removed); tags, sites,
 * dataSources, glycemicRanges and diagnosisType change only when not null ({@code ""}
 * diagnosisType clears it); attestationSubmitted only when not null.
 */
public record PatientDetails(String fullName, String birthDate, String email, String mrn, List<String> targetDevices,
                             List<String> tags, List<String> siteIds, List<Patient.DataSource> dataSources,
                             JsonObject glycemicRanges, String diagnosisType, Boolean attestationSubmitted) {}
