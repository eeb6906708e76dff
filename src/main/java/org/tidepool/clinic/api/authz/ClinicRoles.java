package org.tidepool.clinic.api.authz;

import io.vertx.core.Future;
import java.util.Set;

/** The roles a user holds in a clinic (empty when not a member). */
public interface ClinicRoles {
  Future<Set<String>> of(String clinicId, String userId);
}
