package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * Legacy clinicians without a Tidepool platform, in the platform database: direct shares in
 * {@code legacy_shares} {@code {_id: "<patientId>:<clinicianId>", patientId, clinicianId,
 * permissions: {view: {}, ...}}} (written by the {@code import-legacy} command), roles in the
 * {@code roles} of the user directory's account. Development tokens are signed and stateless, so
 * ending sessions cannot revoke one: it is recorded in {@code ended_sessions} {@code {_id: userId,
 * endedTime}} only.
 */
public final class EmbeddedLegacyClinicians implements LegacyClinicians {
  public static final String SHARES = "legacy_shares";
  public static final String ENDED_SESSIONS = "ended_sessions";
  private final MongoClient mongo;

  public EmbeddedLegacyClinicians(MongoClient platformDatabase) {
    this.mongo = platformDatabase;
  }

  static String shareId(String patientId, String clinicianId) {
    return patientId + ":" + clinicianId;
  }

  @Override
  public Future<Map<String, Set<String>>> sharedPatients(String legacyClinicianId) {
    return mongo.find(SHARES, new JsonObject().put("clinicianId", legacyClinicianId)).map(shares -> {
      Map<String, Set<String>> patients = new TreeMap<>();
      for (JsonObject share : shares) {
        String patientId = share.getString("patientId");
        if (patientId != null && !patientId.equals(legacyClinicianId)) {
          patients.put(patientId, LegacyShares.migrated(share.getJsonObject("permissions", new JsonObject())));
        }
      }
      return patients;
    });
  }

  @Override
  public Future<Void> removeShare(String patientUserId, String legacyClinicianId) {
    return mongo.removeDocument(SHARES, new JsonObject().put("_id", shareId(patientUserId, legacyClinicianId))).mapEmpty();
  }

  @Override
  public Future<Void> replaceLegacyRole(String legacyClinicianId) {
    return mongo.updateCollection(EmbeddedUserDirectory.COLLECTION, new JsonObject().put("_id", legacyClinicianId),
            new JsonObject().put("$set", new JsonObject().put("roles", new JsonArray().add("clinician"))))
        .compose(result -> result.getDocMatched() == 0 ? Future.failedFuture(gone(legacyClinicianId)) : Future.succeededFuture());
  }

  @Override
  public Future<Void> endSessions(String legacyClinicianId) {
    return mongo.count(EmbeddedUserDirectory.COLLECTION, new JsonObject().put("_id", legacyClinicianId)).compose(count -> count == 0
        ? Future.failedFuture(gone(legacyClinicianId))
        : mongo.updateCollectionWithOptions(ENDED_SESSIONS, new JsonObject().put("_id", legacyClinicianId),
            new JsonObject().put("$set", new JsonObject().put("endedTime", MongoJson.date(Instant.now()))),
            new UpdateOptions().setUpsert(true)).mapEmpty());
  }

  private static ServiceError gone(String legacyClinicianId) {
    return ServiceError.notFound("the legacy clinician " + legacyClinicianId + " has no account");
  }
}
