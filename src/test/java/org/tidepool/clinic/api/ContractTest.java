package org.tidepool.clinic.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.operations.Catalogue;

/** The project's contract: exactly the operations this service serves, each in the catalogue (with its rule and domain). */
@ExtendWith(VertxExtension.class)
class ContractTest {
  static final Set<String> SERVED = Set.of(
      "ListClinics", "CreateClinic", "GetClinicByShareCode", "GetClinic", "UpdateClinic", "DeleteClinic",
      "ListClinicians", "CreateClinician", "GetClinician", "UpdateClinician", "DeleteClinician",
      "ListClinicsForClinician", "ListAllClinicians", "AddServiceAccount",
      "GetInvitedClinician", "AssociateClinicianToUser", "DeleteInvitedClinician",
      "CreatePatientAccount", "GetPatient", "CreatePatientFromUser", "UpdatePatient", "DeletePatient",
      "ListClinicsForPatient", "FindPatients", "UpdatePatientPermissions", "DeletePatientPermission",
      "UpdatePatientReviews", "DeletePatientReviews", "SendUploadReminder", "ConnectProvider",
      "UpdatePatientDataSources", "RefreshPatientCount", "DeleteUserFromClinics",
      "UpdateTier", "UpdateSuppressedNotifications", "ListMembershipRestrictions", "UpdateMembershipRestrictions",
      "GetEHRSettings", "UpdateEHRSettings", "GetMRNSettings", "UpdateMRNSettings",
      "GetPatientCountSettings", "UpdatePatientCountSettings", "GetPatientCount", "UpdateClinicUserDetails",
      // patient tags and sites
      "CreatePatientTag", "UpdatePatientTag", "DeletePatientTag", "AssignPatientTagToClinicPatients",
      "DeletePatientTagFromClinicPatients", "ConvertPatientTagToSite", "CreateSite", "UpdateSite", "DeleteSite", "MergeSite",
      // patient list, TIDE report and summaries (issue 8)
      "ListPatients", "TideReport", "UpdatePatientSummary", "DeletePatientSummary",
      // legacy-clinic migrations (issue 10)
      "EnableNewClinicExperience", "TriggerInitialMigration", "MigrateLegacyClinicianPatients", "ListMigrations",
      "GetMigration", "UpdateMigration");

  static OpenAPIContract contract;

  @BeforeAll
  static void load(Vertx vertx) {
    contract = OpenAPIContract.from(vertx, ApiVerticle.CONTRACT).await();
  }

  static Set<String> operationIds() {
    return contract.operations().stream().map(Operation::getOperationId).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void listsExactlyTheServedOperations() {
    assertEquals(OpenAPIVersion.V3_1, contract.getVersion());
    assertEquals(new TreeSet<>(SERVED), operationIds());
  }

  @Test
  void theCatalogueListsExactlyTheContractsOperations() {
    Set<String> catalogued = Catalogue.OPERATIONS.stream().map(Catalogue.OperationSpec::operationId)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(operationIds(), catalogued);
    assertEquals(Catalogue.OPERATIONS.size(), catalogued.size(), "each operation once");
  }

  @Test
  void operationsKeepTheUpstreamMethodsAndPaths() {
    Map<String, String> routes = new TreeMap<>();
    contract.operations().forEach(op -> routes.put(op.getOperationId(), op.getHttpMethod() + " " + op.getOpenAPIPath()));
    assertEquals("GET /v1/clinics/share_code/{shareCode}", routes.get("GetClinicByShareCode"));
    assertEquals("PATCH /v1/clinics/{clinicId}/invites/clinicians/{inviteId}/clinician", routes.get("AssociateClinicianToUser"));
    assertEquals("GET /v1/clinicians/{userId}/clinics", routes.get("ListClinicsForClinician"));
    assertEquals("POST /v1/clinics/{clinicId}/service_accounts", routes.get("AddServiceAccount"));
    assertEquals("DELETE /v1/clinics/{clinicId}/clinicians/{clinicianId}", routes.get("DeleteClinician"));
    assertEquals("POST /v1/clinicians/{userId}/migrate", routes.get("EnableNewClinicExperience"));
    assertEquals("POST /v1/clinics/{clinicId}/migrate", routes.get("TriggerInitialMigration"));
    assertEquals("POST /v1/clinics/{clinicId}/migrations", routes.get("MigrateLegacyClinicianPatients"));
    assertEquals("GET /v1/clinics/{clinicId}/migrations", routes.get("ListMigrations"));
    assertEquals("GET /v1/clinics/{clinicId}/migrations/{userId}", routes.get("GetMigration"));
    assertEquals("PATCH /v1/clinics/{clinicId}/migrations/{userId}", routes.get("UpdateMigration"));
  }

  @Test
  void successStatusesAreTheContractsFirst2xx() {
    Map<String, Integer> statuses = new TreeMap<>();
    contract.operations().forEach(op -> statuses.put(op.getOperationId(), OperationHandler.successStatusOf(op)));
    for (String noContent : new String[] {"DeleteClinic", "DeletePatient", "DeletePatientPermission", "ConnectProvider",
        "DeletePatientTag", "DeleteSite"}) {
      assertEquals(204, statuses.get(noContent), noContent);
      statuses.remove(noContent);
    }
    assertEquals(204, statuses.get("UpdateClinicUserDetails"), "D8");
    statuses.remove("UpdateClinicUserDetails");
    assertEquals(202, statuses.get("MigrateLegacyClinicianPatients"), "D6");
    statuses.remove("MigrateLegacyClinicianPatients");
    statuses.values().forEach(status -> assertEquals(200, status));
  }

  @Test
  void errorResponsesUseErrorV1() {
    JsonObject error = contract.getRawContract().getJsonObject("components").getJsonObject("schemas").getJsonObject("error.v1");
    assertEquals(Set.of("code", "message"), Set.copyOf(error.getJsonArray("required").getList()));
    for (Operation op : contract.operations()) {
      JsonObject responses = op.getOpenAPIModel().getJsonObject("responses");
      for (String code : new String[] {"400", "401", "403", "500"}) {
        assertTrue(responses.containsKey(code), op.getOperationId() + " documents " + code);
      }
    }
  }

  @Test
  void requestBodiesDoNotRequireReadOnlyFields() {
    JsonObject schemas = contract.getRawContract().getJsonObject("components").getJsonObject("schemas");
    for (String name : new String[] {"clinicInput.v1", "clinicianInput.v1", "patientInput.v1", "migrationInput.v1"}) {
      JsonObject schema = schemas.getJsonObject(name);
      for (Object required : schema.getJsonArray("required")) {
        JsonObject property = schema.getJsonObject("properties").getJsonObject((String) required);
        assertFalse(property.getBoolean("readOnly", false), name + " requires read-only " + required);
      }
    }
    assertEquals(1, schemas.getJsonObject("name.v1").getInteger("minLength"));
    // the input schemas are copies; they must not drift from the resources they write
    assertEquals(propertiesOf(schemas, "clinic.v1"), propertiesOf(schemas, "clinicInput.v1"));
    assertEquals(propertiesOf(schemas, "clinician.v1"), propertiesOf(schemas, "clinicianInput.v1"));
  }

  private static JsonObject propertiesOf(JsonObject schemas, String name) {
    return new JsonObject(schemas.getJsonObject(name).getJsonObject("properties").encode());
  }
}
