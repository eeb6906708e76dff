package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/** A legacy "clinic" account's direct shares, role and sessions (gatekeeper and shoreline upstream). */
public interface LegacyClinicians {
  /** The patients who share their data with the clinician directly: patient id → permission names. */
  Future<Map<String, Set<String>>> sharedPatients(String clinicianId);

  /** Removes the patient's direct share with the clinician; a share already gone is no failure. */
  Future<Void> removeShare(String patientId, String clinicianId);

  /** Replaces the legacy {@code clinic} role by {@code clinician}. */
  Future<Void> replaceLegacyRole(String clinicianId);

  /** Ends the clinician's sessions. */
  Future<Void> endSessions(String clinicianId);
}
