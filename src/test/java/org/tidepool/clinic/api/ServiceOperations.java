package org.tidepool.clinic.api;

import java.util.Set;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.operations.Rule;
import org.tidepool.clinic.operations.Rule.Facts;

/** Which operations only backend services call, as the {@link Catalogue}'s access rules say. */
final class ServiceOperations {
  private ServiceOperations() {}

  /**
   * Whether the operation's rule lets a server token in but not the clinic's admin user (who is
   * also the user the path names).
   */
  static boolean serviceOnly(String operationId, String adminUserId) {
    Rule rule = Catalogue.find(operationId)
        .orElseThrow(() -> new IllegalArgumentException(operationId + " is not in the catalogue"))
        .rule();
    boolean service = rule.allows(new Facts("service", true, adminUserId, null));
    boolean admin = rule.allows(new Facts(adminUserId, false, adminUserId, Set.of(Rule.CLINIC_ADMIN)));
    return service && !admin;
  }
}
