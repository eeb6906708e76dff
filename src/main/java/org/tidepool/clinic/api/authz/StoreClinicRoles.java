package org.tidepool.clinic.api.authz;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.operations.Catalogue;

/** Asks the store for the caller's roles ({@code CallerClinicianRoles}, see docs/design.md). */
public final class StoreClinicRoles implements ClinicRoles {
  public static final String ACTION = Catalogue.CALLER_CLINICIAN_ROLES;
  private static final String ADDRESS = Catalogue.addressOf(ACTION);

  private final EventBus bus;

  public StoreClinicRoles(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<Set<String>> of(String clinicId, String userId) {
    JsonObject question = new JsonObject().put("clinicId", clinicId).put("userId", userId);
    return Actions.<JsonObject>request(bus, ADDRESS, ACTION, question).map(answer -> {
      JsonArray roles = answer == null ? null : answer.getJsonArray("roles");
      Set<String> result = new HashSet<>();
      if (roles != null) {
        roles.forEach(role -> result.add(String.valueOf(role)));
      }
      return result;
    });
  }
}
