package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.tidepool.clinic.clinicians.ClinicMembership;
import org.tidepool.clinic.clinicians.ClinicianService;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.Intent;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.platform.PatientAccounts;

/**
 * Patient records in domain values. Every write to a clinic's patients runs under the clinic's
 * lock (the one membership changes and clinic deletion take), so that the MRN check, the
 * patient limit, the duplicate check and the cached counts see no other change of the clinic's
 * patients in between, on every backend; each write that changes a record's share of the
 * clinic's counts moves them ({@link PatientCounts#apply}).
 */
public final class PatientService {
  static final String CONCURRENT_CHANGE = "the patient was changed by another request; try again";
  static final String NO_REVIEW = "no review to delete";
  static final String OTHERS_REVIEW = "cannot revert review from another clinician";
  static final int KEPT_REVIEWS = 2;
  static final Duration CONNECTION_REQUEST_VALIDITY = Duration.ofDays(30);
  static final int MAX_CLINICS_OF_A_CLINICIAN = 1000;
  static final String PATIENT_REMOVAL = "PatientRemoval";
  static final String COUNTED_CHANGE = "PatientCountChange";
  static final String DATA_SOURCES = "UserDataSources";
  private static final String PATIENT_ID = "patientId";
  private static final String ARCHIVE_ID = "archiveId";

  private final MongoClient mongo;
  private final PatientRepository patients;
  private final EhrSubscriptions ehr;
  private final PatientCounts counts;
  private final ClinicService clinics;
  private final ClinicianService clinicians;
  private final PatientAccounts users;
  private final ClinicLock lock;
  private final IntentLog intents;
  private final NewPatients newPatients;

  public PatientService(MongoClient mongo, PatientRepository patients, PatientCounts counts, ClinicService clinics,
                        ClinicianService clinicians, PatientAccounts users, ClinicLock lock, IntentLog intents) {
    this.mongo = mongo;
    this.patients = patients;
    this.ehr = new EhrSubscriptions(patients);
    this.counts = counts;
    this.clinics = clinics;
    this.clinicians = clinicians;
    this.users = users;
    this.lock = lock;
    this.intents = intents;
    this.newPatients = new NewPatients(patients, counts, clinics, users, lock, intents);
    intents.register(PATIENT_REMOVAL, this::convergeRemoval);
    intents.register(COUNTED_CHANGE, intent -> counts.refresh(intent.clinicId()).mapEmpty());
    intents.register(DATA_SOURCES, intent -> setDataSources(intent.params().getString("userId"),
        intent.params().getJsonArray("dataSources"), step -> Future.succeededFuture()));
  }

  /** A patient record with its clinic. */
  public record PatientOfClinic(Patient patient, Clinic clinic) {}

  /** What an internal create from an existing user may set; null fields come from the user's profile. */
  public record FromUser(PatientDetails details, Set<String> permissions, boolean migrated, String legacyClinicianId) {}

  /**
   * Rule 26: an EHR message matched to the patient updates its subscription once (true), a
   * repeated one is ignored (false); see {@link EhrSubscriptions}. Not under the clinic's lock: it
   * touches one record and no rule across records, and its optimistic lock keeps it whole.
   */
  public Future<Boolean> updateEhrSubscription(String clinicId, String userId, EhrSubscriptions.Update update) {
    return ehr.update(clinicId, userId, update);
  }

  /** The patient {@code userId} of the clinic, or a 404. */
  public Future<Patient> get(String clinicId, String userId) {
    return patients.findByUser(clinicId, userId).compose(patient -> patient != null ? Future.succeededFuture(patient)
        : Future.failedFuture(notFound(clinicId, userId)));
  }

  private static ServiceError notFound(String clinicId, String userId) {
    return ServiceError.notFound("patient " + userId + " not found in clinic " + clinicId);
  }

  /**
   * A clinic creates a custodial account (rule 14): all four permissions, {@code invitedBy} the
   * calling user (null for a service), within the MRN rules and the clinic's patient limit (402).
   */
  public Future<Patient> createAccount(String clinicId, PatientDetails details, String invitedBy) {
    return newPatients.account(clinicId, details, invitedBy);
  }

  /**
   * Adds an existing user as a patient; the user's account and profile give what the request
   * leaves out. 409 when the user is a patient of the clinic already, except in a legacy
   * migration ({@code legacyClinicianId}), whose id joins the existing record's instead.
   */
  public Future<Patient> createFromUser(String clinicId, String userId, FromUser request) {
    return createFromUsers(clinicId, List.of(new NewPatients.FromUserRequest(userId, request))).compose(outcomes -> {
      NewPatients.Outcome outcome = outcomes.get(0);
      return outcome.failure() != null ? Future.failedFuture(outcome.failure()) : Future.succeededFuture(outcome.patient());
    });
  }

  /**
   * {@link #createFromUser} of several users under one hold of the clinic's lock (see
   * {@link NewPatients}): each member's outcome, in their order.
   */
  Future<List<NewPatients.Outcome>> createFromUsers(String clinicId, List<NewPatients.FromUserRequest> requests) {
    return newPatients.fromUsers(clinicId, requests);
  }

  /**
   * Replaces the patient's details (rule 19, see {@link PatientDocuments#update}); a custodial
   * patient's account gets the email too (409 when another account has it).
   */
  public Future<Patient> update(String clinicId, String userId, PatientDetails details) {
    // the record and its EHR subscriptions (which only an MRN change touches) from one read
    return locked(clinicId, rules -> patients.findWithStoredSubscriptions(clinicId, userId).compose(stored -> {
      if (stored == null) {
        return Future.failedFuture(notFound(clinicId, userId));
      }
      Patient current = stored.patient();
      List<Patient.Site> sites = rules.sites(details.siteIds());
      return Admission.open(rules, patients, counts, Collections.singletonList(details.mrn()), false)
          .compose(admission -> refused(admission.mrnRefusal(userId, details.mrn())))
          .compose(v -> current.custodial() ? users.updateCustodialUser(userId, lowerCase(details.email())) : Future.succeededFuture())
          .compose(v -> {
            Supplier<Future<Patient>> write = () -> patients.update(current,
                PatientDocuments.update(current, details, sites, rules.mrnUnique(), stored.ehrSubscriptions())).compose(this::changedOrConflict);
            return mayMoveCounts(current, details, sites) ? counted(clinicId, current, write) : write.get();
          });
    }));
  }

  /** Removes the patient from the clinic (archived; {@code deletedBy} is null for a service), or a 404. */
  public Future<Void> delete(String clinicId, String userId, String deletedBy) {
    return locked(clinicId, rules -> get(clinicId, userId).compose(current -> remove(current, deletedBy)));
  }

  /**
   * The patient sets the clinic's permissions; custodian cannot be granted (it is dropped). With
   * none left the patient leaves the clinic (archived) and the result is null.
   */
  public Future<Set<String>> updatePermissions(String clinicId, String userId, Set<String> requested) {
    Set<String> permissions = new LinkedHashSet<>(requested);
    permissions.remove(Permissions.CUSTODIAN);
    return locked(clinicId, rules -> get(clinicId, userId).compose(current -> permissions.isEmpty()
        ? remove(current, userId).map((Set<String>) null)
        : patients.updateAnyRevision(current, new JsonObject().put("$set",
                new JsonObject().put("permissions", PatientDocuments.permissionsDocument(permissions))))
            .compose(this::changedOrConflict).map(updated -> updated.permissions())));
  }

  /**
   * Removes one permission (404 when the clinic does not have it); with none left the patient
   * leaves the clinic (archived). {@code removedBy} is null for a service.
   */
  public Future<Void> deletePermission(String clinicId, String userId, String permission, String removedBy) {
    return locked(clinicId, rules -> get(clinicId, userId).compose(current -> {
      Set<String> held = current.permissions() == null ? Set.of() : current.permissions();
      if (!held.contains(permission)) {
        return Future.failedFuture(ServiceError.notFound("the clinic has no " + permission + " permission for patient " + userId));
      }
      Set<String> remaining = new LinkedHashSet<>(held);
      remaining.remove(permission);
      if (remaining.isEmpty()) {
        return remove(current, removedBy);
      }
      JsonObject unset = new JsonObject().put("$unset", new JsonObject().put("permissions." + permission, ""));
      return patients.update(current, unset).compose(this::changedOrConflict).mapEmpty();
    }));
  }

  /** The clinician reviewed the patient now; the newest reviews first, two kept (rule 22). */
  public Future<List<Patient.Review>> addReview(String clinicId, String userId, String clinicianId) {
    return get(clinicId, userId).compose(current -> {
      List<Patient.Review> reviews = new ArrayList<>();
      reviews.add(new Patient.Review(clinicianId, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
      if (current.reviews() != null) {
        reviews.addAll(current.reviews());
      }
      return setReviews(current, reviews.subList(0, Math.min(KEPT_REVIEWS, reviews.size())));
    });
  }

  /** Reverts the newest review: 404 when there is none (D16), 409 when another clinician made it. */
  public Future<List<Patient.Review>> revertReview(String clinicId, String userId, String clinicianId) {
    return get(clinicId, userId).compose(current -> {
      List<Patient.Review> reviews = current.reviews() == null ? List.of() : current.reviews();
      if (reviews.isEmpty()) {
        return Future.failedFuture(ServiceError.notFound(NO_REVIEW));
      }
      if (!reviews.get(0).clinicianId().equals(clinicianId)) {
        return Future.failedFuture(ServiceError.conflict(OTHERS_REVIEW));
      }
      return setReviews(current, reviews.subList(1, reviews.size()));
    });
  }

  /** Stamps the time of an upload reminder (the email is the worker's). */
  public Future<Patient> remindToUpload(String clinicId, String userId) {
    return get(clinicId, userId).compose(current -> patients.updateAnyRevision(current, new JsonObject().put("$set",
            new JsonObject().put("lastUploadReminderTime", MongoJson.date(Instant.now())))))
        .compose(this::changedOrConflict);
  }

  /**
   * Records a request to connect {@code provider} (newest first); a data source of that provider
   * becomes {@code pending} ({@code pendingReconnect} when it was connected before), expiring in
   * 30 days (rule 24). Without such a data source only the request is recorded (D21).
   */
  public Future<Void> requestConnection(String clinicId, String userId, String provider) {
    return locked(clinicId, rules -> get(clinicId, userId).compose(current -> {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<Patient.ConnectionRequest> requests = new ArrayList<>();
      requests.add(new Patient.ConnectionRequest(provider, now));
      requests.addAll(current.connectionRequests().getOrDefault(provider, List.of()));
      JsonObject set = new JsonObject().put("providerConnectionRequests." + provider, PatientDocuments.connectionRequestsDocument(requests));
      if (current.dataSources() != null && current.dataSources().stream().anyMatch(source -> provider.equals(source.providerName()))) {
        List<Patient.DataSource> sources = current.dataSources().stream().map(source -> !provider.equals(source.providerName()) ? source
            : new Patient.DataSource(source.dataSourceId(), source.providerName(), source.modifiedTime() != null ? "pendingReconnect" : "pending",
                source.modifiedTime(), now.plus(CONNECTION_REQUEST_VALIDITY), source.latestDataTime())).toList();
        set.put("dataSources", PatientDocuments.dataSourcesDocument(sources));
      }
      return counted(clinicId, current, () -> patients.update(current, new JsonObject().put("$set", set))
          .compose(this::changedOrConflict)).mapEmpty();
    }));
  }

  /**
   * Replaces the data sources on every clinic record of the user (rule 25); 404 when the user is
   * nobody's patient. An intent of the user, each record one repeatable counted write with the
   * same value.
   */
  public Future<Void> replaceDataSources(String userId, List<Patient.DataSource> sources) {
    JsonArray document = PatientDocuments.dataSourcesDocument(sources);
    return patients.findOfUser(userId, null).compose(records -> records.isEmpty()
        ? Future.failedFuture(ServiceError.notFound("user " + userId + " is not a patient of any clinic"))
        : intents.runForUser(DATA_SOURCES, userId, new JsonObject().put("userId", userId).put("dataSources", document),
            steps -> setDataSources(userId, document, steps::reached)));
  }

  /** The data sources on each clinic record of the user, each a counted write under its clinic's lock. */
  private Future<Void> setDataSources(String userId, JsonArray sources, Function<String, Future<Void>> reached) {
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("dataSources", sources));
    return patients.findOfUser(userId, null).compose(records -> {
      Future<Void> chain = Future.succeededFuture();
      for (Patient record : records) {
        chain = chain.compose(v -> lock.run(record.clinicId(), () -> patients.findByUser(record.clinicId(), userId)
                .compose(current -> current == null ? Future.succeededFuture()
                    : counted(record.clinicId(), current, () -> patients.updateAnyRevision(current, update).compose(this::changedOrConflict))))
            .compose(v2 -> reached.apply("record")));
      }
      return chain;
    });
  }

  /**
   * A user's email changed at the platform (rule 13): the email on every patient record of the
   * user (removed when null), each a repeatable write under its clinic's lock. The account
   * itself is the platform's, so no account update is sent back.
   */
  public Future<Void> updateEmails(String userId, String email) {
    String normalised = email == null || email.isBlank() ? null : lowerCase(email.trim());
    JsonObject update = normalised == null ? new JsonObject().put("$unset", new JsonObject().put("email", ""))
        : new JsonObject().put("$set", new JsonObject().put("email", normalised));
    return patients.findOfUser(userId, null).compose(records -> {
      Future<Void> chain = Future.succeededFuture();
      for (Patient record : records) {
        chain = chain.compose(v -> lock.run(record.clinicId(), () -> patients.updateAnyRevision(record, update)).mapEmpty());
      }
      return chain;
    });
  }

  /** Recounts the clinic's patients; 404 when the clinic does not exist. */
  public Future<JsonObject> refreshCounts(String clinicId) {
    return locked(clinicId, rules -> counts.refresh(clinicId));
  }

  /** The clinics the user is a patient of, with the records. */
  public Future<List<PatientOfClinic>> clinicsOf(String userId, Page page) {
    return withClinics(patients.findOfUser(userId, page));
  }

  /**
   * The patients of the clinics the clinician belongs to (at most 1000), of one workspace when
   * given (a clinic id, or an EHR source id of the clinician's clinics), with the exact MRN and
   * birth date when given.
   */
  public Future<List<PatientOfClinic>> findForClinician(String clinicianId, String mrn, String birthDate, String workspaceId,
                                                        String workspaceIdType, Page page) {
    return clinicians.clinicsOf(clinicianId, new Page(0, MAX_CLINICS_OF_A_CLINICIAN)).compose(memberships -> {
      List<String> clinicIds = memberships.stream().map(ClinicMembership::clinic).map(Clinic::id).distinct().toList();
      return workspace(clinicIds, workspaceId, workspaceIdType)
          .compose(ids -> ids.isEmpty() ? Future.succeededFuture(List.<PatientOfClinic>of())
              : withClinics(patients.findInClinics(ids, mrn, birthDate, page)));
    });
  }

  /**
   * Removes (archives) a record and refreshes its clinic's counts, a recorded intent (archive,
   * deletion, counts: the archive id decided up front); the caller holds the clinic's lock.
   */
  Future<Void> remove(Patient patient, String deletedBy) {
    String archiveId = MongoJson.newId();
    JsonObject params = new JsonObject().put(PATIENT_ID, patient.id()).put(ARCHIVE_ID, archiveId);
    return intents.run(PATIENT_REMOVAL, patient.clinicId(), params, steps ->
        patients.archiveAndDelete(patient.id(), archiveId, deletedBy, () -> steps.reached("archived"))
            .compose(deleted -> steps.reached("deleted"))
            .compose(v -> counts.apply(patient.clinicId(), patient, null))
            .mapEmpty());
  }

  /** A removal cut short: once archived, the record goes; the counts are refreshed either way. */
  private Future<Void> convergeRemoval(Intent intent) {
    String patientId = intent.params().getString(PATIENT_ID);
    return patients.archived(intent.params().getString(ARCHIVE_ID))
        .compose(archived -> archived ? patients.deleteRecord(patientId) : Future.succeededFuture())
        .compose(v -> counts.refresh(intent.clinicId()))
        .mapEmpty();
  }

  private Future<List<String>> workspace(List<String> clinicIds, String workspaceId, String workspaceIdType) {
    if (workspaceId == null) {
      return Future.succeededFuture(clinicIds);
    }
    if (workspaceIdType == null || "clinicId".equals(workspaceIdType)) {
      return Future.succeededFuture(clinicIds.contains(workspaceId) ? List.of(workspaceId) : List.of());
    }
    io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray();
    clinicIds.forEach(id -> ids.add(MongoJson.oid(id)));
    JsonObject query = new JsonObject().put("_id", new JsonObject().put("$in", ids)).put("ehrSettings.sourceId", workspaceId);
    return mongo.findWithOptions(ClinicRepository.COLLECTION, query,
            new io.vertx.ext.mongo.FindOptions().setFields(new JsonObject().put("_id", 1)))
        .map(found -> found.stream().map(doc -> MongoJson.hex(doc.getValue("_id"))).toList());
  }

  private Future<List<Patient.Review>> setReviews(Patient current, List<Patient.Review> reviews) {
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("reviews", PatientDocuments.reviewsDocument(reviews)));
    return patients.update(current, update).compose(this::changedOrConflict).map(updated -> updated.reviews());
  }

  /** Runs {@code change} under the clinic's lock with the clinic's rules; 404 when the clinic does not exist. */
  private <T> Future<T> locked(String clinicId, Function<ClinicRules, Future<T>> change) {
    return ClinicRules.underLock(lock, clinics, clinicId, change);
  }

  private static Future<Void> refused(ServiceError refusal) {
    return refusal == null ? Future.succeededFuture() : Future.failedFuture(refusal);
  }

  private Future<Patient> changedOrConflict(Patient updated) {
    return updated != null ? Future.succeededFuture(updated) : Future.failedFuture(ServiceError.conflict(CONCURRENT_CHANGE));
  }

  /** Whether replacing the details can change the record's share of the counts: its tags, sites or data sources. */
  private static boolean mayMoveCounts(Patient current, PatientDetails details, List<Patient.Site> sites) {
    boolean tagsMove = details.tags() != null
        && !Set.copyOf(details.tags()).equals(current.tags() == null ? Set.of() : Set.copyOf(current.tags()));
    boolean sitesMove = sites != null && !sites.stream().map(Patient.Site::id).collect(Collectors.toSet())
        .equals(current.sites() == null ? Set.of() : current.sites().stream().map(Patient.Site::id).collect(Collectors.toSet()));
    return tagsMove || sitesMove || details.dataSources() != null;
  }

  /**
   * A write of one record that may change its clinic's counts ({@code before}: the record as it
   * was, null for an insert), an intent: when it is cut short, the clinic is recounted. The caller
   * holds the clinic's lock.
   */
  private Future<Patient> counted(String clinicId, Patient before, Supplier<Future<Patient>> write) {
    return intents.run(COUNTED_CHANGE, clinicId, new JsonObject(), steps -> write.get()
        .compose(after -> steps.reached("written").compose(v -> counts.apply(clinicId, before, after)).map(after)));
  }

  private Future<List<PatientOfClinic>> withClinics(Future<List<Patient>> found) {
    return found.compose(records -> {
      List<String> clinicIds = records.stream().map(Patient::clinicId).distinct().toList();
      return clinics.findByIds(clinicIds).map(clinicsFound -> {
        Map<String, Clinic> byId = new LinkedHashMap<>();
        clinicsFound.forEach(clinic -> byId.put(clinic.id(), clinic));
        return records.stream().filter(record -> byId.containsKey(record.clinicId()))
            .map(record -> new PatientOfClinic(record, byId.get(record.clinicId()))).toList();
      });
    });
  }

  private static String lowerCase(String email) {
    return NewPatients.lowerCase(email);
  }
}
