package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.operations.OperationRequest;

/** The patients operations of the catalogue: request envelope → {@link PatientService} call → contract JSON. */
final class PatientOperations {
  static final String USER_TOKEN_REQUIRED = "expected user access token";
  static final String SERVICES_REMOVE_CUSTODIAN_ONLY = "a backend service may only remove the custodian permission";

  private final PatientService patients;
  private final UserRemoval userRemoval;
  private final PatientSummaries summaries;

  PatientOperations(PatientService patients, UserRemoval userRemoval, PatientSummaries summaries) {
    this.patients = patients;
    this.userRemoval = userRemoval;
    this.summaries = summaries;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("CreatePatientAccount", request -> patients.createAccount(clinicId(request),
            PatientJson.details(request.body()), byUser(request)).map(PatientJson::toJson))
        .operation("GetPatient", request -> patients.get(clinicId(request), request.path("patientId")).map(PatientJson::toJson))
        .operation("CreatePatientFromUser", this::createFromUser)
        .internal(Catalogue.CREATE_PATIENTS_FROM_USERS, this::createFromUsers)
        .operation("UpdatePatient", request -> patients.update(clinicId(request), request.path("patientId"),
            PatientJson.details(request.body())).map(PatientJson::toJson))
        .operation("DeletePatient", request -> patients.delete(clinicId(request), request.path("patientId"), byUser(request)))
        .operation("ListClinicsForPatient", request -> patients.clinicsOf(request.path("userId"), request.page())
            .map(PatientJson::relationshipsToJson))
        .operation("FindPatients", this::find)
        .operation("UpdatePatientPermissions", request -> patients.updatePermissions(clinicId(request), request.path("patientId"),
            PatientJson.permissions(request.body())).map(permissions -> permissions == null ? null : PatientJson.permissionsToJson(permissions)))
        .operation("DeletePatientPermission", this::deletePermission)
        .operation("UpdatePatientReviews", request -> patients.addReview(clinicId(request), request.path("patientId"),
            clinicianUser(request)).map(PatientJson::reviewsToJson))
        .operation("DeletePatientReviews", request -> patients.revertReview(clinicId(request), request.path("patientId"),
            clinicianUser(request)).map(PatientJson::reviewsToJson))
        .operation("SendUploadReminder", request -> {
          clinicianUser(request);
          return patients.remindToUpload(clinicId(request), request.path("patientId")).map(PatientJson::toJson);
        })
        .operation("ConnectProvider", request -> patients.requestConnection(clinicId(request), request.path("patientId"),
            request.path("providerId")))
        .operation("UpdatePatientDataSources", request -> patients.replaceDataSources(request.path("userId"), dataSources(request)))
        .operation("RefreshPatientCount", request -> patients.refreshCounts(clinicId(request)).map((Object) null))
        .operation("DeleteUserFromClinics", request -> userRemoval.removeUser(request.path("userId")))
        // 200 when a record changed, 204 (an empty reply) when none did
        .operation("UpdatePatientSummary", request -> summaries.update(request.path("patientId"), request.body())
            .map(changed -> changed ? new JsonObject() : null))
        .operation("DeletePatientSummary", request -> summaries.delete(request.path("summaryId"))
            .map(changed -> changed ? new JsonObject() : null));
  }

  private Future<JsonObject> createFromUser(OperationRequest request) {
    JsonObject body = request.raw().getValue("body") instanceof JsonObject given ? given : new JsonObject();
    return patients.createFromUser(clinicId(request), request.path("patientId"), fromUser(body)).map(PatientJson::toJson);
  }

  /** {@code {clinicId, patients: [{userId, ...}]}} → {@code {results: [...]}}: see {@link Catalogue#CREATE_PATIENTS_FROM_USERS}. */
  private Future<JsonObject> createFromUsers(JsonObject body) {
    String clinicId = MongoJson.requireObjectId("clinicId", body.getString("clinicId"));
    List<NewPatients.FromUserRequest> requests = new ArrayList<>();
    for (Object member : body.getJsonArray("patients", new JsonArray())) {
      if (!(member instanceof JsonObject patient) || patient.getString("userId") == null) {
        throw ServiceError.badRequest("each patient needs a userId");
      }
      requests.add(new NewPatients.FromUserRequest(patient.getString("userId"), fromUser(patient)));
    }
    return patients.createFromUsers(clinicId, requests).map(outcomes -> {
      JsonArray results = new JsonArray();
      for (int i = 0; i < outcomes.size(); i++) {
        NewPatients.Outcome outcome = outcomes.get(i);
        JsonObject result = new JsonObject().put("userId", requests.get(i).userId());
        if (outcome.failure() == null) {
          result.put("patient", PatientJson.toJson(outcome.patient()));
        } else {
          int code = ServiceError.codeOf(outcome.failure());
          result.put("code", code).put("message", outcome.failure() instanceof ServiceError error ? error.getMessage() : "internal error");
        }
        results.add(result);
      }
      return new JsonObject().put("results", results);
    });
  }

  /** What a CreatePatientFromUser body sets. */
  private static PatientService.FromUser fromUser(JsonObject body) {
    JsonObject permissions = body.getJsonObject("permissions");
    return new PatientService.FromUser(PatientJson.details(body),
        permissions == null ? null : PatientJson.permissions(permissions), body.getBoolean("isMigrated", false),
        body.getString("legacyClinicianId"));
  }

  private Future<JsonArray> find(OperationRequest request) {
    if (request.callerIsServer() || request.callerId() == null) {
      throw ServiceError.unauthorized(USER_TOKEN_REQUIRED);
    }
    return patients.findForClinician(request.callerId(), request.query("mrn"), request.query("birthDate"),
        request.query("workspaceId"), request.query("workspaceIdType"), request.page()).map(PatientJson::relationshipsToJson);
  }

  private Future<Void> deletePermission(OperationRequest request) {
    String permission = request.path("permission");
    if (request.callerIsServer() && !Permissions.CUSTODIAN.equals(permission)) {
      throw ServiceError.forbidden(SERVICES_REMOVE_CUSTODIAN_ONLY);
    }
    return patients.deletePermission(clinicId(request), request.path("patientId"), permission, byUser(request));
  }

  private static List<Patient.DataSource> dataSources(OperationRequest request) {
    Object body = request.raw().getValue("body");
    if (!(body instanceof JsonArray)) {
      throw ServiceError.badRequest("a JSON array of data sources is required");
    }
    return PatientJson.dataSources(body);
  }

  private static String clinicId(OperationRequest request) {
    return request.pathObjectId("clinicId");
  }

  /** Reviews and reminders are a clinician's: a user token (400 for a service, as upstream). */
  private static String clinicianUser(OperationRequest request) {
    if (request.callerIsServer() || request.callerId() == null) {
      throw ServiceError.badRequest(USER_TOKEN_REQUIRED);
    }
    return request.callerId();
  }

  /** Who did it, for archives and invitations: the user, or nobody for a backend service. */
  private static String byUser(OperationRequest request) {
    return request.callerIsServer() ? null : request.callerId();
  }
}
