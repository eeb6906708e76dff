package org.tidepool.clinic.clinicians;

import java.util.List;
import java.util.Set;

/** A clinician's roles ({@code clinicianRoles.v1}): distinct, known names, in the order given. */
public record Roles(List<String> names) {
  public static final String ADMIN = "CLINIC_ADMIN";
  public static final String MEMBER = "CLINIC_MEMBER";
  public static final String PRESCRIBER = "PRESCRIBER";
  public static final List<String> ALL = List.of(ADMIN, MEMBER, PRESCRIBER);
  public static final Roles NONE = new Roles(List.of());

  public Roles {
    names = List.copyOf(names);
  }

  public static Roles of(String... names) {
    return new Roles(List.of(names));
  }

  public boolean isAdmin() {
    return names.contains(ADMIN);
  }

  /** The same roles, in any order. */
  public boolean sameAs(Roles other) {
    return Set.copyOf(names).equals(Set.copyOf(other.names));
  }
}
