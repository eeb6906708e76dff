package org.tidepool.clinic.clinicians;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.operations.OperationRequest;

/**
 * The clinicians operations and internal actions of the catalogue: request envelope →
 * {@link ClinicianService} call → contract JSON.
 */
final class ClinicianOperations {
  private final ClinicianService clinicians;

  ClinicianOperations(ClinicianService clinicians) {
    this.clinicians = clinicians;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("ListClinicians", this::list)
        .operation("GetClinician", request -> clinicians.get(request.pathObjectId("clinicId"), request.path("clinicianId"))
            .map(ClinicianJson::toJson))
        .operation("GetInvitedClinician", request -> clinicians.getInvited(request.pathObjectId("clinicId"), request.path("inviteId"))
            .map(ClinicianJson::toJson))
        .operation("ListClinicsForClinician", request -> clinicians.clinicsOf(request.path("userId"), request.page())
            .map(ClinicianJson::membershipsToJson))
        .operation("ListAllClinicians", request -> clinicians.listAll(request.queryDateTime("createdTimeStart"),
                request.queryDateTime("createdTimeEnd"), request.page())
            .map(ClinicianJson::membershipsToJson))
        .internal(Catalogue.CALLER_CLINICIAN_ROLES, this::callerRoles)
        .internal(Catalogue.CLINICIAN_NOTICE, this::notice);
  }

  private Future<JsonArray> list(OperationRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    ClinicianFilter filter = new ClinicianFilter(clinicId, null, request.query("search"), request.query("email"),
        request.query("role"), null, null);
    return clinicians.list(filter, request.page()).map(ClinicianJson::toJson);
  }

  /** {@code {clinicId, userId}} → {@code {"roles": [...]}}. */
  private Future<JsonObject> callerRoles(JsonObject body) {
    return clinicians.rolesOf(body.getString("clinicId"), body.getString("userId"))
        .map(roles -> new JsonObject().put("roles", new JsonArray(roles.names())));
  }

  /** {@code {clinicId, userId}} → {@code {clinicName, clinicianName, clinicianEmail}}. */
  private Future<JsonObject> notice(JsonObject body) {
    String clinicId = MongoJson.requireObjectId("clinicId", body.getString("clinicId"));
    return clinicians.notice(clinicId, body.getString("userId")).map(notice -> new JsonObject()
        .put("clinicName", notice.clinicName())
        .put("clinicianName", notice.clinicianName())
        .put("clinicianEmail", notice.clinicianEmail()));
  }
}
