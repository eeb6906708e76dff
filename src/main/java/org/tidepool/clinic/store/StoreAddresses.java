package org.tidepool.clinic.store;

/** The store verticle's event-bus address and its actions (operationIds plus internal actions). */
public final class StoreAddresses {
  public static final String ADDRESS = "clinic.store";

  public static final String LIST_CLINICS = "ListClinics";
  public static final String CREATE_CLINIC = "CreateClinic";
  public static final String GET_CLINIC_BY_SHARE_CODE = "GetClinicByShareCode";
  public static final String GET_CLINIC = "GetClinic";
  public static final String UPDATE_CLINIC = "UpdateClinic";
  public static final String DELETE_CLINIC = "DeleteClinic";
  public static final String LIST_CLINICIANS = "ListClinicians";
  public static final String CREATE_CLINICIAN = "CreateClinician";
  public static final String GET_CLINICIAN = "GetClinician";
  public static final String UPDATE_CLINICIAN = "UpdateClinician";
  public static final String DELETE_CLINICIAN = "DeleteClinician";
  public static final String LIST_CLINICS_FOR_CLINICIAN = "ListClinicsForClinician";
  public static final String LIST_ALL_CLINICIANS = "ListAllClinicians";
  public static final String ADD_SERVICE_ACCOUNT = "AddServiceAccount";
  public static final String GET_INVITED_CLINICIAN = "GetInvitedClinician";
  public static final String ASSOCIATE_CLINICIAN_TO_USER = "AssociateClinicianToUser";
  public static final String DELETE_INVITED_CLINICIAN = "DeleteInvitedClinician";

  /** {@code {clinicId, userId}} → {@code {"roles": [...]}}, empty when the user is not a member. */
  public static final String CALLER_CLINICIAN_ROLES = "CallerClinicianRoles";
  /** {@code {clinicId, userId}} → {@code {"clinicName", "clinicianName", "clinicianEmail"}} for notifications. */
  public static final String CLINICIAN_NOTICE = "ClinicianNotice";
  /** {@code {}} → {@code {}} once MongoDB answers a ping. */
  public static final String READY = "Ready";

  private StoreAddresses() {}
}
