package org.tidepool.clinic.operations;

import java.util.List;
import java.util.Set;

/**
 * An access rule: a requirement on the caller, or a combination of rules. The rule of every
 * operation is in the {@link Catalogue}.
 */
public sealed interface Rule {
  String CLINIC_ADMIN = "CLINIC_ADMIN";
  String CLINIC_MEMBER = "CLINIC_MEMBER";

  /** Whether the facts satisfy the rule; role-based requirements are false when roles are unknown. */
  boolean allows(Facts facts);

  /** Whether some requirement of the rule depends on the caller's roles in the clinic. */
  boolean needsRoles();

  /**
   * What a rule is decided on: who calls ({@code server}: a backend service), the user id the
   * path names ({userId}, {clinicianId} or {patientId}), and the caller's roles in the path's clinic, null
   * when they have not been looked up.
   */
  record Facts(String callerId, boolean server, String selfId, Set<String> roles) {}

  enum Requirement implements Rule {
    /** a backend service (server token) */
    SRV,
    /** any user (not a server token) */
    USER,
    /** a user whose id is the {userId} / {clinicianId} / {patientId} of the path */
    SELF,
    /** a user with read access to the {clinicId} clinic: CLINIC_MEMBER or CLINIC_ADMIN */
    MEMBER,
    /** a user with write access to the {clinicId} clinic: CLINIC_ADMIN */
    ADMIN;

    @Override
    public boolean allows(Facts facts) {
      if (this == SRV) {
        return facts.server();
      }
      if (facts.server()) {
        return false;
      }
      return switch (this) {
        case USER -> true;
        case SELF -> facts.selfId() != null && facts.selfId().equals(facts.callerId());
        case MEMBER -> facts.roles() != null && (facts.roles().contains(CLINIC_MEMBER) || facts.roles().contains(CLINIC_ADMIN));
        case ADMIN -> facts.roles() != null && facts.roles().contains(CLINIC_ADMIN);
        default -> false;
      };
    }

    @Override
    public boolean needsRoles() {
      return this == MEMBER || this == ADMIN;
    }
  }

  record AnyOf(List<Rule> rules) implements Rule {
    @Override
    public boolean allows(Facts facts) {
      return rules.stream().anyMatch(rule -> rule.allows(facts));
    }

    @Override
    public boolean needsRoles() {
      return rules.stream().anyMatch(Rule::needsRoles);
    }
  }

  record AllOf(List<Rule> rules) implements Rule {
    @Override
    public boolean allows(Facts facts) {
      return rules.stream().allMatch(rule -> rule.allows(facts));
    }

    @Override
    public boolean needsRoles() {
      return rules.stream().anyMatch(Rule::needsRoles);
    }
  }

  public static Rule anyOf(Rule... rules) {
    return new AnyOf(List.of(rules));
  }

  public static Rule allOf(Rule... rules) {
    return new AllOf(List.of(rules));
  }
}
