package org.tidepool.clinic.platform;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads gatekeeper-style share maps ({@code userId -> {permission: {}}}) as a migration needs them. */
final class LegacyShares {
  /** The legacy permission names a migrated patient keeps, as upstream's worker copies them. */
  static final Set<String> MIGRATED_PERMISSIONS = Set.of("custodian", "note", "view", "upload");

  private LegacyShares() {}

  /** Each sharing user with the migrated permissions among theirs; the clinician's own entry dropped. */
  static Map<String, Set<String>> sharedPatients(JsonObject groups, String legacyClinicianId) {
    Map<String, Set<String>> shares = new TreeMap<>();
    for (Map.Entry<String, Object> entry : groups) {
      if (!entry.getKey().equals(legacyClinicianId)) {
        shares.put(entry.getKey(), migrated(entry.getValue() instanceof JsonObject permissions ? permissions : new JsonObject()));
      }
    }
    return shares;
  }

  static Set<String> migrated(JsonObject permissions) {
    Set<String> kept = new TreeSet<>(permissions.fieldNames());
    kept.retainAll(MIGRATED_PERMISSIONS);
    return kept;
  }
}
