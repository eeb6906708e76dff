package org.tidepool.clinic.api.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tidepool.clinic.api.ApiVerticle;
import org.tidepool.clinic.api.auth.Caller;
import org.tidepool.clinic.common.ServiceError;

/**
 * The access policy as a matrix: (method, path of the contract, caller, roles in the clinic) →
 * allowed or denied. Each route is resolved to its operation through the contract, so the
 * matrix also pins which method and path every rule guards. Caller kinds: SERVER, USER (some
 * user), SELF (the user named in the path).
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

  static Vertx vertx;
  static OpenAPIContract contract;

  @BeforeAll
  static void loadContract() {
    vertx = Vertx.vertx();
    contract = OpenAPIContract.from(vertx, ApiVerticle.CONTRACT).await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  static Stream<Arguments> matrix() {
    return Stream.of(
        row("GET /v1/clinics", Kind.SERVER, NONE, true),
        row("GET /v1/clinics", Kind.USER, ADMIN, false),
        row("POST /v1/clinics", Kind.USER, NONE, true),
        row("POST /v1/clinics", Kind.SERVER, NONE, false),
        row("GET /v1/clinics/share_code/{shareCode}", Kind.USER, NONE, true),
        row("GET /v1/clinics/share_code/{shareCode}", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}", Kind.USER, NONE, true),
        row("GET /v1/clinics/{clinicId}", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}", Kind.USER, ADMIN, true),
        row("PUT /v1/clinics/{clinicId}", Kind.USER, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}", Kind.USER, NONE, false),
        row("PUT /v1/clinics/{clinicId}", Kind.SERVER, NONE, true),
        row("DELETE /v1/clinics/{clinicId}", Kind.USER, ADMIN, true),
        row("DELETE /v1/clinics/{clinicId}", Kind.USER, MEMBER, false),
        row("DELETE /v1/clinics/{clinicId}", Kind.USER, NONE, false),
        row("DELETE /v1/clinics/{clinicId}", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/clinicians", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/clinicians", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/clinicians", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/clinicians", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/clinicians", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/clinicians", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/clinicians", Kind.USER, ADMIN, false),
        row("GET /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, NONE, false),
        row("GET /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, ADMIN, true),
        row("PUT /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SERVER, NONE, true),
        row("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, ADMIN, true),
        row("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, MEMBER, true),
        row("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, ADMIN, true),
        row("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, PRESCRIBER, false),
        row("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SELF, NONE, false),
        row("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.USER, MEMBER, false),
        row("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", Kind.SERVER, NONE, true),
        row("GET /v1/clinicians/{userId}/clinics", Kind.SELF, NONE, true),
        row("GET /v1/clinicians/{userId}/clinics", Kind.USER, NONE, false),
        row("GET /v1/clinicians/{userId}/clinics", Kind.SERVER, NONE, true),
        row("GET /v1/clinicians", Kind.SERVER, NONE, true),
        row("GET /v1/clinicians", Kind.USER, NONE, false),
        row("POST /v1/clinics/{clinicId}/service_accounts", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/service_accounts", Kind.USER, ADMIN, false),
        row("GET /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.USER, ADMIN, false),
        row("PATCH /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.SERVER, NONE, true),
        row("PATCH /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.USER, ADMIN, false),
        row("DELETE /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.SERVER, NONE, true),
        row("DELETE /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", Kind.USER, ADMIN, false),
        row("POST /v1/clinics/{clinicId}/patients", Kind.USER, MEMBER, true),
        row("POST /v1/clinics/{clinicId}/patients", Kind.USER, ADMIN, true),
        row("POST /v1/clinics/{clinicId}/patients", Kind.USER, PRESCRIBER, false),
        row("POST /v1/clinics/{clinicId}/patients", Kind.USER, NONE, false),
        row("POST /v1/clinics/{clinicId}/patients", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/patients/{patientId}", Kind.SELF, NONE, false),
        row("GET /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/patients/{patientId}", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, ADMIN, false),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, MEMBER, true),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}", Kind.SELF, NONE, false),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, NONE, false),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}", Kind.SERVER, NONE, true),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, ADMIN, true),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, MEMBER, false),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}", Kind.SELF, NONE, true),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}", Kind.USER, NONE, false),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}", Kind.SERVER, NONE, false),
        row("GET /v1/patients/{userId}/clinics", Kind.SELF, NONE, true),
        row("GET /v1/patients/{userId}/clinics", Kind.USER, NONE, false),
        row("GET /v1/patients/{userId}/clinics", Kind.SERVER, NONE, true),
        row("GET /v1/patients", Kind.USER, NONE, true),
        row("GET /v1/patients", Kind.SERVER, NONE, false),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}/permissions", Kind.SELF, NONE, true),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}/permissions", Kind.USER, ADMIN, false),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}/permissions", Kind.SERVER, NONE, false),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}/permissions/{permission}", Kind.SELF, NONE, true),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}/permissions/{permission}", Kind.USER, ADMIN, false),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}/permissions/{permission}", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}/reviews", Kind.USER, MEMBER, true),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}/reviews", Kind.USER, NONE, false),
        row("PUT /v1/clinics/{clinicId}/patients/{patientId}/reviews", Kind.SERVER, NONE, false),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}/reviews", Kind.USER, ADMIN, true),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}/reviews", Kind.USER, PRESCRIBER, false),
        row("DELETE /v1/clinics/{clinicId}/patients/{patientId}/reviews", Kind.SERVER, NONE, false),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}/upload_reminder", Kind.USER, MEMBER, true),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}/upload_reminder", Kind.USER, NONE, false),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}/upload_reminder", Kind.SERVER, NONE, false),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}/connect/{providerId}", Kind.USER, MEMBER, true),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}/connect/{providerId}", Kind.SELF, NONE, false),
        row("POST /v1/clinics/{clinicId}/patients/{patientId}/connect/{providerId}", Kind.SERVER, NONE, true),
        row("PUT /v1/patients/{userId}/data_sources", Kind.SERVER, NONE, true),
        row("PUT /v1/patients/{userId}/data_sources", Kind.SELF, NONE, false),
        row("POST /v1/clinics/{clinicId}/patient_count/refresh", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/patient_count/refresh", Kind.USER, ADMIN, false),
        row("DELETE /v1/users/{userId}/clinics", Kind.SERVER, NONE, true),
        row("DELETE /v1/users/{userId}/clinics", Kind.SELF, NONE, false),
        row("POST /v1/clinics/{clinicId}/tier", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/tier", Kind.USER, ADMIN, false),
        row("POST /v1/clinics/{clinicId}/tier", Kind.USER, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}/membership_restrictions", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/membership_restrictions", Kind.USER, ADMIN, false),
        row("PUT /v1/clinics/{clinicId}/membership_restrictions", Kind.USER, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}/settings/ehr", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/settings/ehr", Kind.USER, ADMIN, false),
        row("PUT /v1/clinics/{clinicId}/settings/ehr", Kind.USER, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}/settings/mrn", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/settings/mrn", Kind.USER, ADMIN, false),
        row("PUT /v1/clinics/{clinicId}/settings/mrn", Kind.USER, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}/settings/patient_count", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/settings/patient_count", Kind.USER, ADMIN, false),
        row("PUT /v1/clinics/{clinicId}/settings/patient_count", Kind.USER, MEMBER, false),
        row("POST /v1/clinics/{clinicId}/suppressed_notifications", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/suppressed_notifications", Kind.USER, ADMIN, true),
        row("POST /v1/clinics/{clinicId}/suppressed_notifications", Kind.USER, MEMBER, false),
        row("POST /v1/clinics/{clinicId}/suppressed_notifications", Kind.USER, PRESCRIBER, false),
        row("POST /v1/clinics/{clinicId}/suppressed_notifications", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/membership_restrictions", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/membership_restrictions", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/membership_restrictions", Kind.USER, MEMBER, false),
        row("GET /v1/clinics/{clinicId}/membership_restrictions", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/membership_restrictions", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/settings/ehr", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/settings/ehr", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/settings/ehr", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/settings/ehr", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/settings/ehr", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/settings/mrn", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/settings/mrn", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/settings/mrn", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/settings/mrn", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/settings/mrn", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/settings/patient_count", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/settings/patient_count", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/settings/patient_count", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/settings/patient_count", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/settings/patient_count", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/patient_count", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/patient_count", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/patient_count", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/patient_count", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/patient_count", Kind.USER, NONE, false),
        row("POST /v1/users/{userId}/clinics", Kind.SERVER, NONE, true),
        row("POST /v1/users/{userId}/clinics", Kind.SELF, NONE, false),
        row("POST /v1/users/{userId}/clinics", Kind.USER, NONE, false),
        // patient tags and sites
        row("POST /v1/clinics/{clinicId}/patient_tags", Kind.USER, MEMBER, true),
        row("POST /v1/clinics/{clinicId}/patient_tags", Kind.USER, ADMIN, true),
        row("POST /v1/clinics/{clinicId}/patient_tags", Kind.USER, PRESCRIBER, false),
        row("POST /v1/clinics/{clinicId}/patient_tags", Kind.USER, NONE, false),
        row("POST /v1/clinics/{clinicId}/patient_tags", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.USER, MEMBER, true),
        row("PUT /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.USER, ADMIN, true),
        row("PUT /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.USER, PRESCRIBER, false),
        row("PUT /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.USER, NONE, false),
        row("PUT /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.SERVER, NONE, true),
        row("DELETE /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.USER, ADMIN, true),
        row("DELETE /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.USER, MEMBER, false),
        row("DELETE /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.USER, NONE, false),
        row("DELETE /v1/clinics/{clinicId}/patient_tags/{patientTagId}", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/patients/assign_tag/{patientTagId}", Kind.USER, ADMIN, true),
        row("POST /v1/clinics/{clinicId}/patients/assign_tag/{patientTagId}", Kind.USER, MEMBER, false),
        row("POST /v1/clinics/{clinicId}/patients/assign_tag/{patientTagId}", Kind.USER, NONE, false),
        row("POST /v1/clinics/{clinicId}/patients/assign_tag/{patientTagId}", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/patients/delete_tag/{patientTagId}", Kind.USER, ADMIN, true),
        row("POST /v1/clinics/{clinicId}/patients/delete_tag/{patientTagId}", Kind.USER, MEMBER, false),
        row("POST /v1/clinics/{clinicId}/patients/delete_tag/{patientTagId}", Kind.USER, NONE, false),
        row("POST /v1/clinics/{clinicId}/patients/delete_tag/{patientTagId}", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/sites", Kind.USER, ADMIN, true),
        row("POST /v1/clinics/{clinicId}/sites", Kind.USER, MEMBER, false),
        row("POST /v1/clinics/{clinicId}/sites", Kind.USER, NONE, false),
        row("POST /v1/clinics/{clinicId}/sites", Kind.SERVER, NONE, true),
        row("PUT /v1/clinics/{clinicId}/sites/{siteId}", Kind.USER, ADMIN, true),
        row("PUT /v1/clinics/{clinicId}/sites/{siteId}", Kind.USER, MEMBER, false),
        row("PUT /v1/clinics/{clinicId}/sites/{siteId}", Kind.USER, NONE, false),
        row("PUT /v1/clinics/{clinicId}/sites/{siteId}", Kind.SERVER, NONE, true),
        row("DELETE /v1/clinics/{clinicId}/sites/{siteId}", Kind.USER, ADMIN, true),
        row("DELETE /v1/clinics/{clinicId}/sites/{siteId}", Kind.USER, MEMBER, false),
        row("DELETE /v1/clinics/{clinicId}/sites/{siteId}", Kind.USER, NONE, false),
        row("DELETE /v1/clinics/{clinicId}/sites/{siteId}", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/patient_tags/{patientTagId}/site", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/patient_tags/{patientTagId}/site", Kind.USER, ADMIN, false),
        row("POST /v1/clinics/{clinicId}/patient_tags/{patientTagId}/site", Kind.USER, MEMBER, false),
        row("POST /v1/clinics/{clinicId}/sites/{siteId}/merge", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/sites/{siteId}/merge", Kind.USER, ADMIN, false),
        row("POST /v1/clinics/{clinicId}/sites/{siteId}/merge", Kind.USER, MEMBER, false),
        // legacy-clinic migrations (issue 10)
        row("POST /v1/clinicians/{userId}/migrate", Kind.SERVER, NONE, true),
        row("POST /v1/clinicians/{userId}/migrate", Kind.SELF, NONE, false),
        row("POST /v1/clinics/{clinicId}/migrate", Kind.USER, ADMIN, true),
        row("POST /v1/clinics/{clinicId}/migrate", Kind.USER, MEMBER, false),
        row("POST /v1/clinics/{clinicId}/migrate", Kind.SERVER, NONE, false),
        row("POST /v1/clinics/{clinicId}/migrations", Kind.SERVER, NONE, true),
        row("POST /v1/clinics/{clinicId}/migrations", Kind.USER, ADMIN, false),
        row("GET /v1/clinics/{clinicId}/migrations", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/migrations", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/migrations", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/migrations/{userId}", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/migrations/{userId}", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/migrations/{userId}", Kind.SELF, NONE, false),
        row("PATCH /v1/clinics/{clinicId}/migrations/{userId}", Kind.SERVER, NONE, true),
        row("PATCH /v1/clinics/{clinicId}/migrations/{userId}", Kind.USER, ADMIN, false),
        // patient list, TIDE report and summaries (issue 8)
        row("GET /v1/clinics/{clinicId}/patients", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/patients", Kind.USER, ADMIN, true),
        row("GET /v1/clinics/{clinicId}/patients", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/patients", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/patients", Kind.SERVER, NONE, true),
        row("GET /v1/clinics/{clinicId}/tide_report", Kind.USER, MEMBER, true),
        row("GET /v1/clinics/{clinicId}/tide_report", Kind.USER, PRESCRIBER, false),
        row("GET /v1/clinics/{clinicId}/tide_report", Kind.USER, NONE, false),
        row("GET /v1/clinics/{clinicId}/tide_report", Kind.SERVER, NONE, true),
        row("POST /v1/patients/{patientId}/summary", Kind.SERVER, NONE, true),
        row("POST /v1/patients/{patientId}/summary", Kind.SELF, NONE, false),
        row("POST /v1/patients/{patientId}/summary", Kind.USER, NONE, false),
        row("DELETE /v1/summaries/{summaryId}/clinics", Kind.SERVER, NONE, true),
        row("DELETE /v1/summaries/{summaryId}/clinics", Kind.USER, NONE, false));
  }

  static Arguments row(String route, Kind kind, Set<String> roles, boolean allowed) {
    return Arguments.of(route, kind, roles, allowed);
  }

  /** The contract's operation at "METHOD /path/{template}". */
  static Operation operationAt(String route) {
    String[] methodAndPath = route.split(" ", 2);
    return contract.operations().stream()
        .filter(op -> op.getHttpMethod().name().equals(methodAndPath[0]) && op.getOpenAPIPath().equals(methodAndPath[1]))
        .findFirst().orElse(null);
  }

  @ParameterizedTest(name = "{0} by {1} with roles {2} → allowed {3}")
  @MethodSource("matrix")
  void decides(String route, Kind kind, Set<String> roles, boolean allowed) {
    Operation operation = operationAt(route);
    assertNotNull(operation, route + " is an operation of the contract");
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
    if (route.contains("{patientId}")) {
      path.put("patientId", ME);
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

    Future<Void> decision = authorizer.authorize(operation.getOperationId(), caller, path);

    assertEquals(allowed, decision.succeeded(), "decision");
    if (!allowed) {
      assertEquals(403, ((ServiceError) decision.cause()).code());
    }
    if (kind == Kind.SERVER) {
      assertEquals(0, lookups.get(), "servers have no clinic roles to look up");
    }
  }

  @Test
  void everyOperationOfTheContractIsInTheMatrix() {
    Set<String> inMatrix = matrix().map(row -> operationAt((String) row.get()[0]))
        .filter(op -> op != null).map(Operation::getOperationId).collect(Collectors.toCollection(TreeSet::new));
    Set<String> all = contract.operations().stream().map(Operation::getOperationId).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(all, inMatrix);
  }

  @Test
  void anOperationWithoutARuleIsDeniedEvenToServers() {
    Future<Void> decision = new Authorizer((clinicId, userId) -> Future.succeededFuture(ADMIN))
        .authorize("NoSuchOperation", Caller.service("clinic"), Map.of());
    assertEquals(403, ((ServiceError) decision.cause()).code());
  }
}
