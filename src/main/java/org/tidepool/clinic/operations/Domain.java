package org.tidepool.clinic.operations;

/**
 * A domain of the store: a name, and the event-bus address its operations are served on (one
 * per domain, so that logs and metrics tell them apart).
 */
public record Domain(String name) {
  /** The clinic profile: reads and updates of clinics. */
  public static final Domain CLINICS = new Domain("clinics");
  /** Clinician records: reads, and the roles the api authorises on. */
  public static final Domain CLINICIANS = new Domain("clinicians");
  /** Who belongs to a clinic: clinic creation and deletion, every change of its clinicians. */
  public static final Domain MEMBERSHIP = new Domain("membership");
  /** Patient records: their details, permissions, reviews, data sources and counts; user deletion. */
  public static final Domain PATIENTS = new Domain("patients");
  /** The patient list and the TIDE report: searches, filters and sorts over a clinic's patients. */
  public static final Domain PATIENT_LIST = new Domain("patientlist");

  /** A clinic's settings: tier, notifications, membership restrictions, EHR, MRN, patient-count limits and counts. */
  public static final Domain SETTINGS = new Domain("settings");

  /** Hooks for a user's account changes at the platform (their clinician and patient records). */
  public static final Domain USERS = new Domain("users");

  /** A clinic's patient tags and sites, and their copies on its patients. */
  public static final Domain PATIENT_GROUPS = new Domain("patientgroups");

  /** Legacy-clinic migrations: enabling and triggering them, and their records (the migration worker's reports). */
  public static final Domain MIGRATIONS = new Domain("migrations");

  public static final String ADDRESS_PREFIX = "clinic.store.";

  public String address() {
    return ADDRESS_PREFIX + name;
  }
}
