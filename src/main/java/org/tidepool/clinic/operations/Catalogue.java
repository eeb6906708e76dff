package org.tidepool.clinic.operations;

import static org.tidepool.clinic.operations.Domain.CLINICIANS;
import static org.tidepool.clinic.operations.Domain.CLINICS;
import static org.tidepool.clinic.operations.Domain.MEMBERSHIP;
import static org.tidepool.clinic.operations.Domain.MIGRATIONS;
import static org.tidepool.clinic.operations.Domain.PATIENTS;
import static org.tidepool.clinic.operations.Domain.PATIENT_GROUPS;
import static org.tidepool.clinic.operations.Domain.PATIENT_LIST;
import static org.tidepool.clinic.operations.Domain.SETTINGS;
import static org.tidepool.clinic.operations.Domain.USERS;
import static org.tidepool.clinic.operations.Rule.Requirement.ADMIN;
import static org.tidepool.clinic.operations.Rule.Requirement.MEMBER;
import static org.tidepool.clinic.operations.Rule.Requirement.SELF;
import static org.tidepool.clinic.operations.Rule.Requirement.SRV;
import static org.tidepool.clinic.operations.Rule.Requirement.USER;
import static org.tidepool.clinic.operations.Rule.allOf;
import static org.tidepool.clinic.operations.Rule.anyOf;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every operation of the contract: who may call it (the upstream clinic policy; ListAllClinicians
 * is open to backend services, upstream had no rule for it) and the domain that serves it. The
 * api routes and authorises by it, the store checks at start-up that its domains serve exactly
 * these, and a test that it lists exactly the contract's operationIds.
 */
public final class Catalogue {
  /** The store's own address: {@value #READY} (the api's readiness probe). */
  public static final String STORE_ADDRESS = "clinic.store";
  /** {@code {}} → {@code {}} once MongoDB answers a ping. */
  public static final String READY = "Ready";
  /** {@code {clinicId, userId}} → {@code {"roles": [...]}}, empty when the user is not a member. */
  public static final String CALLER_CLINICIAN_ROLES = "CallerClinicianRoles";
  /** {@code {clinicId, userId}} → {@code {"clinicName", "clinicianName", "clinicianEmail"}} for notifications. */
  public static final String CLINICIAN_NOTICE = "ClinicianNotice";
  /**
   * {@code {clinicId, patients: [{userId, ...CreatePatientFromUser's body}]}} →
   * {@code {results: [{userId, patient} | {userId, code, message}]}} in the same order: several
   * CreatePatientFromUser under one hold of the clinic's lock (the migration's batches).
   */
  public static final String CREATE_PATIENTS_FROM_USERS = "CreatePatientsFromUsers";

  public static final List<OperationSpec> OPERATIONS = List.of(
      operation("ListClinics", SRV, CLINICS),
      operation("GetClinicByShareCode", anyOf(USER, SRV), CLINICS),
      operation("GetClinic", anyOf(USER, SRV), CLINICS),
      operation("UpdateClinic", anyOf(ADMIN, SRV), CLINICS),
      operation("ListClinicians", anyOf(MEMBER, SRV), CLINICIANS),
      operation("GetClinician", anyOf(MEMBER, SRV), CLINICIANS),
      operation("ListClinicsForClinician", anyOf(SELF, SRV), CLINICIANS),
      operation("ListAllClinicians", SRV, CLINICIANS),
      operation("GetInvitedClinician", SRV, CLINICIANS),
      operation("CreateClinic", USER, MEMBERSHIP),
      operation("DeleteClinic", anyOf(ADMIN, SRV), MEMBERSHIP),
      operation("CreateClinician", SRV, MEMBERSHIP),
      operation("UpdateClinician", anyOf(ADMIN, SRV), MEMBERSHIP),
      operation("DeleteClinician", anyOf(ADMIN, SRV, allOf(SELF, MEMBER)), MEMBERSHIP), // a member may leave the clinic
      operation("AddServiceAccount", SRV, MEMBERSHIP),
      operation("AssociateClinicianToUser", SRV, MEMBERSHIP), // an invite accepted (used by hydrophone)
      operation("DeleteInvitedClinician", SRV, MEMBERSHIP),
      operation("CreatePatientAccount", anyOf(MEMBER, SRV), PATIENTS),
      operation("GetPatient", anyOf(MEMBER, SRV), PATIENTS),
      operation("CreatePatientFromUser", SRV, PATIENTS),
      operation("UpdatePatient", anyOf(MEMBER, SRV), PATIENTS),
      operation("DeletePatient", anyOf(ADMIN, SELF), PATIENTS), // the patient may leave; not backend services (upstream)
      operation("ListClinicsForPatient", anyOf(SELF, SRV), PATIENTS),
      operation("FindPatients", USER, PATIENTS),
      operation("UpdatePatientPermissions", SELF, PATIENTS),
      // services may remove custodian only (the account was claimed): checked by the operation, which sees the permission
      operation("DeletePatientPermission", anyOf(SELF, SRV), PATIENTS),
      operation("UpdatePatientReviews", MEMBER, PATIENTS),
      operation("DeletePatientReviews", MEMBER, PATIENTS),
      operation("SendUploadReminder", MEMBER, PATIENTS),
      operation("ConnectProvider", anyOf(MEMBER, SRV), PATIENTS),
      operation("UpdatePatientDataSources", SRV, PATIENTS),
      operation("RefreshPatientCount", SRV, PATIENTS),
      operation("DeleteUserFromClinics", SRV, PATIENTS),
      // patient list, TIDE report and summaries (issue 8)
      operation("ListPatients", anyOf(MEMBER, SRV), PATIENT_LIST),
      operation("TideReport", anyOf(MEMBER, SRV), PATIENT_LIST),
      operation("UpdatePatientSummary", SRV, PATIENTS),
      operation("DeletePatientSummary", SRV, PATIENTS),
      // clinic settings
      operation("UpdateTier", SRV, SETTINGS),
      operation("UpdateSuppressedNotifications", anyOf(ADMIN, SRV), SETTINGS), // D2: the rule's stated intent
      operation("ListMembershipRestrictions", anyOf(ADMIN, SRV), SETTINGS),
      operation("UpdateMembershipRestrictions", SRV, SETTINGS),
      operation("GetEHRSettings", anyOf(MEMBER, SRV), SETTINGS),
      operation("UpdateEHRSettings", SRV, SETTINGS),
      operation("GetMRNSettings", anyOf(MEMBER, SRV), SETTINGS),
      operation("UpdateMRNSettings", SRV, SETTINGS),
      operation("GetPatientCountSettings", anyOf(MEMBER, SRV), SETTINGS),
      operation("UpdatePatientCountSettings", SRV, SETTINGS),
      operation("GetPatientCount", anyOf(MEMBER, SRV), SETTINGS),
      // user life-cycle hooks
      operation("UpdateClinicUserDetails", SRV, USERS),
      // patient tags and sites (upstream §1.2 G, H)
      operation("CreatePatientTag", anyOf(MEMBER, SRV), PATIENT_GROUPS),
      operation("UpdatePatientTag", anyOf(MEMBER, SRV), PATIENT_GROUPS),
      operation("DeletePatientTag", anyOf(ADMIN, SRV), PATIENT_GROUPS),
      operation("AssignPatientTagToClinicPatients", anyOf(ADMIN, SRV), PATIENT_GROUPS),
      operation("DeletePatientTagFromClinicPatients", anyOf(ADMIN, SRV), PATIENT_GROUPS),
      operation("ConvertPatientTagToSite", SRV, PATIENT_GROUPS),
      operation("CreateSite", anyOf(ADMIN, SRV), PATIENT_GROUPS),
      operation("UpdateSite", anyOf(ADMIN, SRV), PATIENT_GROUPS),
      operation("DeleteSite", anyOf(ADMIN, SRV), PATIENT_GROUPS),
      operation("MergeSite", SRV, PATIENT_GROUPS),
      // legacy-clinic migrations (upstream §1.2 K)
      operation("EnableNewClinicExperience", SRV, MIGRATIONS),
      operation("TriggerInitialMigration", ADMIN, MIGRATIONS), // the clinic's admin, not backend services (upstream)
      operation("MigrateLegacyClinicianPatients", SRV, MIGRATIONS),
      operation("ListMigrations", anyOf(MEMBER, SRV), MIGRATIONS),
      operation("GetMigration", anyOf(MEMBER, SRV), MIGRATIONS),
      operation("UpdateMigration", SRV, MIGRATIONS));

  /** Actions that are not contract operations, for the api and the cdc handlers. */
  public static final List<InternalAction> INTERNAL_ACTIONS = List.of(
      new InternalAction(CALLER_CLINICIAN_ROLES, CLINICIANS),
      new InternalAction(CLINICIAN_NOTICE, CLINICIANS),
      new InternalAction(CREATE_PATIENTS_FROM_USERS, PATIENTS));

  private static final Map<String, OperationSpec> BY_ID = OPERATIONS.stream()
      .collect(Collectors.toUnmodifiableMap(OperationSpec::operationId, Function.identity()));

  private Catalogue() {}

  public static Optional<OperationSpec> find(String operationId) {
    return Optional.ofNullable(BY_ID.get(operationId));
  }

  /** The address serving an operation or internal action. */
  public static String addressOf(String action) {
    if (READY.equals(action)) {
      return STORE_ADDRESS;
    }
    return Stream.concat(OPERATIONS.stream().map(op -> Map.entry(op.operationId(), op.domain())),
            INTERNAL_ACTIONS.stream().map(internal -> Map.entry(internal.name(), internal.domain())))
        .filter(entry -> entry.getKey().equals(action))
        .map(entry -> entry.getValue().address())
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no operation or internal action " + action));
  }

  /** The operationIds and internal actions a domain must serve. */
  public static List<String> actionsOf(Domain domain) {
    return Stream.concat(
            OPERATIONS.stream().filter(op -> op.domain().equals(domain)).map(OperationSpec::operationId),
            INTERNAL_ACTIONS.stream().filter(internal -> internal.domain().equals(domain)).map(InternalAction::name))
        .toList();
  }

  private static OperationSpec operation(String operationId, Rule rule, Domain domain) {
    return new OperationSpec(operationId, rule, domain);
  }

  /** One line of the catalogue. */
  public record OperationSpec(String operationId, Rule rule, Domain domain) {}

  /** An action served on a domain's address that is not an operation of the contract. */
  public record InternalAction(String name, Domain domain) {}
}
