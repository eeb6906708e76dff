package org.tidepool.clinic.api.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tidepool.clinic.api.auth.Caller;

/**
 * The access policy as a matrix: (operation, caller, roles in the clinic) → allowed or denied.
 * Caller kinds: SERVER, USER (some user), SELF (the user named in the path).
 */
class AccessPolicyMatrixTest {
  static final String CLINIC = "0123456789abcdef01234567";
  static final String ME = "abcdef0123";
  static final String SOMEONE_ELSE = "0123456789";
  static final Set<String> NONE = Set.of();
  static final Set<String> MEMBER = Set.of("CLINIC_MEMBER");
  static final Set<String> ADMIN = Set.of("CLINIC_ADMIN");
  static final Set<String> PRESCRIBER = Set.of("PRESCRIBER");

  enum Kind { SERVER, USER, SELF }

  static Stream<Arguments> matrix() {
    return Stream.of(
        row("ListClinics", "GET /v1/clinics", Kind.SERVER, NONE, true),
        row("ListClinics", "GET /v1/clinics", Kind.USER, ADMIN, false),
        row("CreateClinic", "POST /v1/clinics", Kind.USER, NONE, true),
        row("CreateClinic", "POST /v1/clinics", Kind.SERVER, NONE, false),
        row("GetClinicByShareCode", "GET /v1/clinics/share_code/{shareCode}", Kind.USER, NONE, true),
        row("GetClinicByShareCode", "GET /v1/clinics/share_code/{shareCode}", Kind.SERVER, NONE, true),
        row("GetClinic", "GET /v1/clinics/{clinicId}", Kind.USER, NONE, true),
        row("GetClinic", "GET /v1/clinics/{clinicId}", Kind.SERVER, NONE, true),
        row("UpdateClinic", "PUT /v1/clinics/{clinicId}", Kind.USER, ADMIN, true),
        row("UpdateClinic", "PUT /v1/clinics/{clinicId}", Kind.USER, MEMBER, false),
        row("UpdateClinic", "PUT /v1/clinics/{clinicId}", Kind.USER, NONE, false),
        row("UpdateClinic", "PUT /v1/clinics/{clinicId}", Kind.SERVER, NONE, true),
        row("DeleteClinic", "DELETE /v1/clinics/{clinicId}", Kind.USER, ADMIN, true),
        row("DeleteClinic", "DELETE /v1/clinics/{clinicId}", Kind.USER, MEMBER, false),
        row("DeleteClinic", "DELETE /v1/clinics/{clinicId}", Kind.SERVER, NONE, true),
        row("ListClinicians", "GET /v1/clinics/{clinicId}/clinicians", Kind.USER, MEMBER, true),
        row("ListClinicians", "GET /v1/clinics/{clinicId}/clinicians", Kind.USER, ADMIN, true),
        row("ListClinicians", "GET /v1/clinics/{clinicId}/clinicians", Kind.USER, PRESCRIBER, false),
        row("ListClinicians", "GET /v1/clinics/{clinicId}/clinicians", Kind.USER, NONE, false),
        row("ListClinicians", "GET /v1/clinics/{clinicId}/clinicians", Kind.SERVER, NONE, true),
        row("CreateClinician", "POST /v1/clinics/{clinicId}/clinicians", Kind.SERVER, NONE, true),
        row("CreateClinician", "POST /v1/clinics/{clinicId}/clinicians", Kind.USER, ADMIN, false),
        row("GetClinician", "GET /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, MEMBER, true),
        row("GetClinician", "GET /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, NONE, false),
        row("GetClinician", "GET /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SERVER, NONE, true),
        row("UpdateClinician", "PUT /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, ADMIN, true),
        row("UpdateClinician", "PUT /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, MEMBER, false),
        row("UpdateClinician", "PUT /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SERVER, NONE, true),
        row("DeleteClinician", "DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, ADMIN, true),
        row("DeleteClinician", "DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, MEMBER, true),
        row("DeleteClinician", "DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, ADMIN, true),
        row("DeleteClinician", "DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, PRESCRIBER, false),
        row("DeleteClinician", "DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, NONE, false),
        row("DeleteClinician", "DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, MEMBER, false),
        row("DeleteClinician", "DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SERVER, NONE, true),
        row("ListClinicsForClinician", "GET /v1/clinicians/{userId}/clinics", Kind.SELF, NONE, true),
        row("ListClinicsForClinician", "GET /v1/clinicians/{userId}/clinics", Kind.USER, NONE, false),
        row("ListClinicsForClinician", "GET /v1/clinicians/{userId}/clinics", Kind.SERVER, NONE, true),
        row("ListAllClinicians", "GET /v1/clinicians", Kind.SERVER, NONE, true),
        row("ListAllClinicians", "GET /v1/clinicians", Kind.USER, NONE, false),
        row("AddServiceAccount", "POST /v1/clinics/{clinicId}/service_accounts", Kind.SERVER, NONE, true),
        row("AddServiceAccount", "POST /v1/clinics/{clinicId}/service_accounts", Kind.USER, ADMIN, false),
        row("GetInvitedClinician", "GET /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.SERVER, NONE, true),
        row("GetInvitedClinician", "GET /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.USER, ADMIN, false),
        row("AssociateClinicianToUser", "PATCH /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.SERVER, NONE, true),
        row("AssociateClinicianToUser", "PATCH /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.USER, ADMIN, false),
        row("DeleteInvitedClinician", "DELETE /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.SERVER, NONE, true),
        row("DeleteInvitedClinician", "DELETE /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.USER, ADMIN, false),
        row("NoSuchOperation", "GET /v1/unknown", Kind.SERVER, NONE, false));
  }

  static Arguments row(String operationId, String route, Kind kind, Set<String> roles, boolean allowed) {
    return Arguments.of(operationId, route, kind, roles, allowed);
  }

  @ParameterizedTest(name = "{0} ({1}) by {2} with roles {3} → allowed {4}")
  @MethodSource("matrix")
  void decides(String operationId, String route, Kind kind, Set<String> roles, boolean allowed) {
    Caller caller = switch (kind) {
      case SERVER -> Caller.service("clinic");
      case USER -> Caller.user(SOMEONE_ELSE);
      case SELF -> Caller.user(ME);
    };
    Map<String, String> path = new HashMap<>();
    if (route.contains("{clinicId}")) {
      path.put("clinicId", CLINIC);
    }
    if (route.contains("{clinicianId}")) {
      path.put("clinicianId", ME);
    }
    if (route.contains("{userId}")) {
      path.put("userId", ME);
    }
    AtomicInteger lookups = new AtomicInteger();
    Authorizer authorizer = new Authorizer((clinicId, userId) -> {
      lookups.incrementAndGet();
      assertEquals(CLINIC, clinicId);
      assertEquals(caller.userId(), userId);
      return Future.succeededFuture(roles);
    });

    Future<Void> decision = authorizer.authorize(operationId, caller, path);

    assertEquals(allowed, decision.succeeded(), "decision");
    if (!allowed) {
      assertEquals(403, ((org.tidepool.clinic.common.ServiceError) decision.cause()).code());
    }
    if (kind == Kind.SERVER) {
      assertEquals(0, lookups.get(), "servers have no clinic roles to look up");
    }
  }
}
