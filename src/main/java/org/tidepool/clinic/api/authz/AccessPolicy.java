package org.tidepool.clinic.api.authz;

import static org.tidepool.clinic.api.authz.Rule.Requirement.ADMIN;
import static org.tidepool.clinic.api.authz.Rule.Requirement.MEMBER;
import static org.tidepool.clinic.api.authz.Rule.Requirement.SELF;
import static org.tidepool.clinic.api.authz.Rule.Requirement.SRV;
import static org.tidepool.clinic.api.authz.Rule.Requirement.USER;
import static org.tidepool.clinic.api.authz.Rule.allOf;
import static org.tidepool.clinic.api.authz.Rule.anyOf;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call each operation: the upstream clinic policy for the operations this service
 * serves, with ListAllClinicians open to backend services (upstream had no rule for it).
 */
public final class AccessPolicy {

  private static final Map<String, Rule> RULES = Map.ofEntries(
      // clinics
      Map.entry("ListClinics", SRV),
      Map.entry("CreateClinic", USER),
      Map.entry("GetClinicByShareCode", anyOf(USER, SRV)),
      Map.entry("GetClinic", anyOf(USER, SRV)),
      Map.entry("UpdateClinic", anyOf(ADMIN, SRV)),
      Map.entry("DeleteClinic", anyOf(ADMIN, SRV)),
      // clinicians
      Map.entry("ListClinicians", anyOf(MEMBER, SRV)),
      Map.entry("CreateClinician", SRV),
      Map.entry("GetClinician", anyOf(MEMBER, SRV)),
      Map.entry("UpdateClinician", anyOf(ADMIN, SRV)),
      Map.entry("DeleteClinician", anyOf(ADMIN, SRV, allOf(SELF, MEMBER))), // a member may leave the clinic
      Map.entry("ListClinicsForClinician", anyOf(SELF, SRV)),
      Map.entry("ListAllClinicians", SRV),
      Map.entry("AddServiceAccount", SRV),
      // clinician invite records (used by hydrophone)
      Map.entry("GetInvitedClinician", SRV),
      Map.entry("AssociateClinicianToUser", SRV),
      Map.entry("DeleteInvitedClinician", SRV));

  private AccessPolicy() {}

  public static Optional<Rule> ruleOf(String operationId) {
    return Optional.ofNullable(RULES.get(operationId));
  }

  public static Set<String> operations() {
    return RULES.keySet();
  }
}
