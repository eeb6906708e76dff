package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * What a migration needs of a legacy "clinic" account at the platform: its direct shares
 * (gatekeeper), its role and its sessions (shoreline). Tidepool adapter: {@link TidepoolLegacyClinicians};
 * embedded one: {@link EmbeddedLegacyClinicians}. A failure is a {@code ServiceError}: 404 when the
 * account is gone (from {@link #replaceLegacyRole} and {@link #endSessions}), 503 for anything a
 * retry may cure.
 */
public interface LegacyClinicians {
  /** The legacy clinician's direct shares: patient user id -> the legacy permission names among custodian, note, view, upload; the clinician's own id removed; 404 -> empty. */
  Future<Map<String, Set<String>>> sharedPatients(String legacyClinicianId);

  /** Removes one legacy direct share (gatekeeper POST /access/{patientId}/{clinicianId} with body null); 404 counts as done. */
  Future<Void> removeShare(String patientUserId, String legacyClinicianId);

  /** Replaces the legacy `clinic` role: roles become ["clinician"] (shoreline PUT /user/{id}). */
  Future<Void> replaceLegacyRole(String legacyClinicianId);

  /** Ends the legacy clinician's sessions (shoreline DELETE /user/{id}/sessions, 204). */
  Future<Void> endSessions(String legacyClinicianId);
}
