package org.tidepool.clinic.clinicians;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;

/** Clinician roles ({@code clinicianRoles.v1}). */
public final class Roles {
  public static final String ADMIN = "CLINIC_ADMIN";
  public static final String MEMBER = "CLINIC_MEMBER";
  public static final String PRESCRIBER = "PRESCRIBER";
  public static final Set<String> ALL = Set.of(ADMIN, MEMBER, PRESCRIBER);

  private Roles() {}

  /** A request's roles: a non-empty array of distinct known roles, else 400 naming the problem. */
  public static List<String> parse(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw ServiceError.badRequest("roles must be a non-empty array of " + List.of(ADMIN, MEMBER, PRESCRIBER));
    }
    Set<String> roles = new LinkedHashSet<>();
    for (Object role : array) {
      if (!(role instanceof String name) || !ALL.contains(name)) {
        throw ServiceError.badRequest("unknown role '" + role + "'; roles are " + List.of(ADMIN, MEMBER, PRESCRIBER));
      }
      if (!roles.add(name)) {
        throw ServiceError.badRequest("role " + name + " is listed twice");
      }
    }
    return new ArrayList<>(roles);
  }

  public static boolean isAdmin(JsonArray roles) {
    return roles != null && roles.contains(ADMIN);
  }

  public static boolean isAdmin(List<String> roles) {
    return roles.contains(ADMIN);
  }

  public static boolean sameRoles(JsonArray stored, List<String> requested) {
    Set<Object> before = stored == null ? Set.of() : Set.copyOf(stored.getList());
    return before.equals(Set.copyOf(requested));
  }
}
