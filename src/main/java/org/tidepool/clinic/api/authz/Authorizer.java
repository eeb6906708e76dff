package org.tidepool.clinic.api.authz;

import io.vertx.core.Future;
import java.util.Map;
import org.tidepool.clinic.api.auth.Caller;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.operations.Rule;

/**
 * Decides an operation for a caller by its rule in the {@link Catalogue}. The caller's clinic roles are
 * looked up only when the decision depends on them.
 */
public final class Authorizer {
  private final ClinicRoles clinicRoles;

  public Authorizer(ClinicRoles clinicRoles) {
    this.clinicRoles = clinicRoles;
  }

  /**
   * Succeeds when allowed; fails with a 403 {@link ServiceError} when denied.
   *
   * @param pathParameters the request's path parameters ({@code clinicId}, {@code userId}, {@code clinicianId}, …)
   */
  public Future<Void> authorize(String operationId, Caller caller, Map<String, String> pathParameters) {
    Rule rule = Catalogue.find(operationId).map(Catalogue.OperationSpec::rule).orElse(null);
    if (rule == null) {
      return denied(operationId);
    }
    String selfId = selfIdOf(pathParameters);
    Rule.Facts withoutRoles = new Rule.Facts(caller.userId(), caller.server(), selfId, null);
    if (rule.allows(withoutRoles)) {
      return Future.succeededFuture();
    }
    String clinicId = pathParameters.get("clinicId");
    if (!rule.needsRoles() || clinicId == null || caller.server()) {
      return denied(operationId);
    }
    return clinicRoles.of(clinicId, caller.userId()).compose(roles ->
        rule.allows(new Rule.Facts(caller.userId(), caller.server(), selfId, roles)) ? Future.succeededFuture() : denied(operationId));
  }

  /** The user a path names: no path has more than one of {userId}, {clinicianId}, {patientId}. */
  private static String selfIdOf(Map<String, String> pathParameters) {
    for (String name : new String[] {"userId", "clinicianId", "patientId"}) {
      if (pathParameters.get(name) != null) {
        return pathParameters.get(name);
      }
    }
    return null;
  }

  private static Future<Void> denied(String operationId) {
    return Future.failedFuture(ServiceError.forbidden("not allowed to " + operationId));
  }
}
