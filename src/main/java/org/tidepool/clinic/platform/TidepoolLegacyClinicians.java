package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;

/**
 * A legacy clinician at Tidepool, with upstream's worker calls (docs/design.md "Platform ports"):
 * gatekeeper {@code GET /access/groups/{id}} (200; 404: no shares) and {@code POST
 * /access/{patientId}/{id}} with the JSON literal {@code null} (200; 404: done); shoreline
 * {@code PUT /user/{id}} {@code {"updates": {"roles": ["clinician"]}}} (200) and {@code DELETE
 * /user/{id}/sessions} (204). Shoreline's 404 to those two is a 404 failure (the account is gone:
 * no retry cures it), any other status a 503.
 */
final class TidepoolLegacyClinicians implements LegacyClinicians {
  private static final Buffer JSON_NULL = Buffer.buffer("null");
  private final TidepoolHttp gatekeeper;
  private final TidepoolHttp shoreline;

  TidepoolLegacyClinicians(TidepoolHttp gatekeeper, TidepoolHttp shoreline) {
    this.gatekeeper = gatekeeper;
    this.shoreline = shoreline;
  }

  @Override
  public Future<Map<String, Set<String>>> sharedPatients(String legacyClinicianId) {
    return gatekeeper.call(HttpMethod.GET, "/access/groups/" + PathSegments.encode(legacyClinicianId), null, false, Set.of(200, 404))
        .map(response -> response.statusCode() == 404 ? Map.<String, Set<String>>of()
            : LegacyShares.sharedPatients(TidepoolHttp.object(response, gatekeeper.service()), legacyClinicianId));
  }

  @Override
  public Future<Void> removeShare(String patientUserId, String legacyClinicianId) {
    String path = "/access/" + PathSegments.encode(patientUserId) + "/" + PathSegments.encode(legacyClinicianId);
    return gatekeeper.call(HttpMethod.POST, path, JSON_NULL, true, Set.of(200, 404)).mapEmpty();
  }

  @Override
  public Future<Void> replaceLegacyRole(String legacyClinicianId) {
    JsonObject body = new JsonObject()
        .put("updates", new JsonObject().put("roles", new JsonArray().add("clinician")));
    return shoreline.call(HttpMethod.PUT, "/user/" + PathSegments.encode(legacyClinicianId), body, false, Set.of(200, 404))
        .compose(response -> accountPresent(response.statusCode(), legacyClinicianId));
  }

  @Override
  public Future<Void> endSessions(String legacyClinicianId) {
    return shoreline.call(HttpMethod.DELETE, "/user/" + PathSegments.encode(legacyClinicianId) + "/sessions", null, false, Set.of(204, 404))
        .compose(response -> accountPresent(response.statusCode(), legacyClinicianId));
  }

  private static Future<Void> accountPresent(int status, String legacyClinicianId) {
    return status == 404 ? Future.failedFuture(ServiceError.notFound("the legacy clinician " + legacyClinicianId + " has no account"))
        : Future.succeededFuture();
  }
}
