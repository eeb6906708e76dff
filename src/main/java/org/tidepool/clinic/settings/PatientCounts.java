package org.tidepool.clinic.settings;

import io.vertx.core.Future;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCount;
import org.tidepool.clinic.common.ServiceError;

/**
 * Counts a clinic's patients and caches the counts on the clinic (RefreshPatientCount): what
 * GetPatientCount falls back to when a clinic has no cached counts yet. The patients domain
 * provides it; {@link #NOT_COUNTED} stands in until it does.
 */
@FunctionalInterface
public interface PatientCounts {
  /** No patients domain: a clinic without cached counts has none to show (404). */
  PatientCounts NOT_COUNTED = clinicId -> Future.failedFuture(
      ServiceError.notFound("clinic " + clinicId + " has no patient count yet"));

  /** Counts the clinic's patients now, stores the counts on the clinic, and returns them. */
  Future<PatientCount> refresh(String clinicId);
}
