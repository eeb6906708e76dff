package org.tidepool.clinic.clinics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.OperationRequest;

/** The clinics operations of the catalogue: request envelope → {@link ClinicService} call → contract JSON. */
final class ClinicOperations {
  private final ClinicService clinics;

  ClinicOperations(ClinicService clinics) {
    this.clinics = clinics;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("ListClinics", this::list)
        .operation("GetClinicByShareCode", request -> clinics.getByShareCode(request.path("shareCode")).map(ClinicJson::toJson))
        .operation("GetClinic", request -> clinics.get(request.pathObjectId("clinicId")).map(ClinicJson::toJson))
        .operation("UpdateClinic", this::update);
  }

  private Future<JsonArray> list(OperationRequest request) {
    ClinicFilter filter = new ClinicFilter(request.query("shareCode"), request.queryDateTime("createdTimeStart"),
        request.queryDateTime("createdTimeEnd"), request.queryBoolean("ehrEnabled"));
    return clinics.list(filter, request.page()).map(ClinicJson::toJson);
  }

  private Future<JsonObject> update(OperationRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    return clinics.updateProfile(clinicId, ClinicJson.profile(request.body())).map(ClinicJson::toJson);
  }
}
