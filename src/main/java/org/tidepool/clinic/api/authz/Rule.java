package org.tidepool.clinic.api.authz;

import java.util.List;
import java.util.Set;
import org.tidepool.clinic.api.auth.Caller;

/**
 * An access rule: a requirement on the caller, or a combination of rules. Read the policy
 * table in {@link AccessPolicy}.
 */
public sealed interface Rule {
  String CLINIC_ADMIN = "CLINIC_ADMIN";
  String CLINIC_MEMBER = "CLINIC_MEMBER";

  /** Whether the facts satisfy the rule; role-based requirements are false when roles are unknown. */
  boolean allows(Facts facts);

  /** Whether some requirement of the rule depends on the caller's roles in the clinic. */
  boolean needsRoles();

  /** What a rule is decided on. {@code roles} is null when they have not been looked up. */
  record Facts(Caller caller, String selfId, Set<String> roles) {}

  enum Requirement implements Rule {
    /** a backend service (server token) */
    SRV,
    /** any user (not a server token) */
    USER,
    /** a user whose id is the {userId} / {clinicianId} of the path */
    SELF,
    /** a user with read access to the {clinicId} clinic: CLINIC_MEMBER or CLINIC_ADMIN */
    MEMBER,
    /** a user with write access to the {clinicId} clinic: CLINIC_ADMIN */
    ADMIN;

    @Override
    public boolean allows(Facts facts) {
      Caller caller = facts.caller();
      if (this == SRV) {
        return caller.server();
      }
      if (caller.server()) {
        return false;
      }
      return switch (this) {
        case USER -> true;
        case SELF -> facts.selfId() != null && facts.selfId().equals(caller.userId());
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

  static Rule anyOf(Rule... rules) {
    return new AnyOf(List.of(rules));
  }

  static Rule allOf(Rule... rules) {
    return new AllOf(List.of(rules));
  }
}
