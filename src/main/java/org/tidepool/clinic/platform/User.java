package org.tidepool.clinic.platform;

import java.util.List;

/**
 * A Tidepool account as the clinic service needs it: id, first email, profile full name, and its
 * platform roles (shoreline's {@code roles}; a legacy clinic account has {@value #LEGACY_CLINIC_ROLE}).
 */
public record User(String id, String email, String fullName, List<String> roles) {
  /** The shoreline role of a legacy ("clinic") account, whose patients a migration moves into a clinic. */
  public static final String LEGACY_CLINIC_ROLE = "clinic";

  public User {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** An account without platform roles. */
  public User(String id, String email, String fullName) {
    this(id, email, fullName, List.of());
  }

  public boolean isLegacyClinic() {
    return roles.contains(LEGACY_CLINIC_ROLE);
  }
}
