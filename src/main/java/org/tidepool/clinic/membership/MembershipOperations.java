package org.tidepool.clinic.membership;

import static org.tidepool.clinic.clinicians.ClinicianJson.optionalText;
import static org.tidepool.clinic.clinicians.ClinicianJson.requiredText;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.tidepool.clinic.clinicians.Clinician;
import org.tidepool.clinic.clinicians.ClinicianJson;
import org.tidepool.clinic.clinicians.Roles;
import org.tidepool.clinic.clinics.ClinicJson;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.OperationRequest;

/**
 * The membership operations of the catalogue: request envelope → {@link ClinicLifecycle} or
 * {@link MembershipService} call → contract JSON.
 */
final class MembershipOperations {
  private final ClinicLifecycle lifecycle;
  private final MembershipService membership;

  MembershipOperations(ClinicLifecycle lifecycle, MembershipService membership) {
    this.lifecycle = lifecycle;
    this.membership = membership;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("CreateClinic", this::createClinic)
        .operation("DeleteClinic", request -> lifecycle.delete(request.pathObjectId("clinicId"), deletedBy(request)))
        .operation("CreateClinician", this::createClinician)
        .operation("UpdateClinician", this::updateClinician)
        .operation("DeleteClinician", request -> membership.deleteClinician(request.pathObjectId("clinicId"),
            request.path("clinicianId"), deletedBy(request)))
        .operation("AddServiceAccount", this::addServiceAccount)
        .operation("AssociateClinicianToUser", this::associate)
        .operation("DeleteInvitedClinician", request -> membership.deleteInvited(request.pathObjectId("clinicId"),
            request.path("inviteId"), deletedBy(request)));
  }

  private Future<JsonObject> createClinic(OperationRequest request) {
    if (request.callerIsServer() || request.callerId() == null) {
      throw ServiceError.badRequest("a clinic must be created by a user");
    }
    return lifecycle.create(request.callerId(), ClinicJson.profile(request.body())).map(ClinicJson::toJson);
  }

  /** The internal create (hydrophone's invite records; also members with a user id). */
  private Future<JsonObject> createClinician(OperationRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    JsonObject body = request.body();
    Roles roles = ClinicianJson.roles(body.getValue("roles"));
    String email = optionalText(body, "email");
    if (email == null) {
      throw ServiceError.badRequest("email is required");
    }
    Clinician clinician = MembershipService.newClinician(clinicId, roles)
        .withEmail(email.toLowerCase(Locale.ROOT))
        .withUser(optionalText(body, "id"))
        .withInvite(optionalText(body, "inviteId"))
        .withName(optionalText(body, "name"));
    return membership.addClinician(clinician).map(ClinicianJson::toJson);
  }

  private Future<JsonObject> updateClinician(OperationRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String userId = request.path("clinicianId");
    JsonObject body = request.body();
    Roles roles = ClinicianJson.roles(body.getValue("roles"));
    String name = optionalText(body, "name");
    if (body.containsKey("name") && (name == null || name.isBlank())) {
      throw ServiceError.badRequest("name must not be empty");
    }
    return membership.updateClinician(clinicId, userId, roles, name, request.callerId()).map(ClinicianJson::toJson);
  }

  private Future<JsonObject> addServiceAccount(OperationRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    JsonObject body = request.body();
    String name = requiredText(body, "name");
    String clientId = requiredText(body, "client_id");
    String clientSecret = requiredText(body, "client_secret");
    return membership.addServiceAccount(clinicId, name, clientId, clientSecret).map(ClinicianJson::toJson);
  }

  private Future<JsonObject> associate(OperationRequest request) {
    String clinicId = request.pathObjectId("clinicId");
    String inviteId = request.path("inviteId");
    String userId = requiredText(request.body(), "userId");
    return membership.associate(clinicId, inviteId, userId).map(ClinicianJson::toJson);
  }

  /** Who deleted, for the archive: the user, or nobody for a backend service. */
  private static String deletedBy(OperationRequest request) {
    return request.callerIsServer() ? null : request.callerId();
  }
}
