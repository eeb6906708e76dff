package org.tidepool.clinic.users;

import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.OperationRequest;

/** The user life-cycle operations: request envelope → {@link UserDetailsService} call → contract JSON. */
final class UserOperations {
  private final UserDetailsService details;

  UserOperations(UserDetailsService details) {
    this.details = details;
  }

  ActionHandlers handlers() {
    // 204 (D8): the contract's answer, where upstream answered 200
    return new ActionHandlers()
        .operation("UpdateClinicUserDetails", request -> details.updateEmail(request.path("userId"), email(request)).map(done -> null));
  }

  private static String email(OperationRequest request) {
    JsonObject body = request.body();
    Object email = body.getValue("email");
    if (email == null) {
      return null;
    }
    if (!(email instanceof String text) || text.isBlank() || !text.contains("@")) {
      throw ServiceError.badRequest("email must be an email address");
    }
    return text.trim();
  }
}
