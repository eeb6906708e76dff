package org.tidepool.clinic.patientgroups;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.Intent;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.patients.Patient;
import org.tidepool.clinic.patients.PatientCounts;
import org.tidepool.clinic.patients.PatientRepository;

/**
 * A clinic's patient tags (rule 27): at most {@value #MAX_TAGS}, names unique ignoring case and
 * whitespace. A tag deleted leaves the clinic at once and its patients through the worker, which
 * sees {@code lastDeletedPatientTag} change and calls {@link #unassign} for all of them. Every
 * change runs under the clinic's lock (the patients' writes take it too); a bulk (un)assignment
 * is an intent, finished after a crash.
 */
public final class TagService {
  static final int MAX_TAGS = 50;
  static final String DUPLICATE = "duplicate patient tag";
  static final String TOO_MANY = "the clinic has the maximum number of patient tags (" + MAX_TAGS + ")";
  static final String ASSIGNMENT = "TagAssignment";
  private static final String TAG_ID = "tagId";
  private static final String USER_IDS = "userIds";
  private static final String ASSIGN = "assign";

  private final ClinicService clinics;
  private final ClinicRepository clinicDocuments;
  private final PatientRepository patients;
  private final PatientCounts counts;
  private final LockedClinic locked;
  private final IntentLog intents;

  public TagService(ClinicService clinics, ClinicRepository clinicDocuments, PatientRepository patients, PatientCounts counts,
                    ClinicLock lock, IntentLog intents) {
    this.clinics = clinics;
    this.clinicDocuments = clinicDocuments;
    this.patients = patients;
    this.counts = counts;
    this.locked = new LockedClinic(clinics, lock);
    this.intents = intents;
    intents.register(ASSIGNMENT, this::convergeAssignment);
  }

  /** A new tag of the clinic: 422 beyond the limit, 409 when the clinic has the name. */
  public Future<Clinic.PatientTag> create(String clinicId, String name) {
    String cleaned = GroupNames.clean(name);
    return locked.run(clinicId, clinic -> {
      List<Clinic.PatientTag> tags = tagsOf(clinic);
      if (tags.size() >= MAX_TAGS) {
        return Future.failedFuture(ServiceError.unprocessable(TOO_MANY));
      }
      if (GroupNames.taken(cleaned, tags.stream().map(Clinic.PatientTag::name).toList())) {
        return Future.failedFuture(ServiceError.conflict(DUPLICATE));
      }
      Clinic.PatientTag tag = new Clinic.PatientTag(MongoJson.newId(), cleaned);
      List<Clinic.PatientTag> updated = new ArrayList<>(tags);
      updated.add(tag);
      return clinicDocuments.setPatientTags(clinicId, updated).compose(written -> LockedClinic.found(written, clinicId)).map(tag);
    });
  }

  /** Renames the tag (its patients keep its id): 404 for a tag the clinic has not, 409 for another tag's name. */
  public Future<Clinic.PatientTag> rename(String clinicId, String tagId, String name) {
    String cleaned = GroupNames.clean(name);
    return locked.run(clinicId, clinic -> {
      Clinic.PatientTag tag = tag(clinic, tagId);
      List<Clinic.PatientTag> others = tagsOf(clinic).stream().filter(other -> !other.id().equals(tagId)).toList();
      if (GroupNames.taken(cleaned, others.stream().map(Clinic.PatientTag::name).toList())) {
        return Future.failedFuture(ServiceError.conflict(DUPLICATE));
      }
      Clinic.PatientTag renamed = new Clinic.PatientTag(tagId, cleaned, tag.numPatients());
      List<Clinic.PatientTag> updated = tagsOf(clinic).stream().map(other -> other.id().equals(tagId) ? renamed : other).toList();
      return clinicDocuments.setPatientTags(clinicId, updated).compose(written -> LockedClinic.found(written, clinicId)).map(renamed);
    });
  }

  /** Removes the tag from the clinic and records it as the last deleted; its patients lose it through the worker. */
  public Future<Void> delete(String clinicId, String tagId) {
    return locked.run(clinicId, clinic -> {
      Clinic.PatientTag tag = tag(clinic, tagId);
      List<Clinic.PatientTag> remaining = tagsOf(clinic).stream().filter(other -> !other.id().equals(tagId)).toList();
      return clinicDocuments.deletePatientTag(clinicId, remaining, tag).compose(written -> LockedClinic.found(written, clinicId)).mapEmpty();
    });
  }

  /** Gives the clinic's tag to these patients of the clinic (all when null); 404 for a tag the clinic has not (D22). */
  public Future<Void> assign(String clinicId, String tagId, List<String> userIds) {
    return locked.run(clinicId, clinic -> {
      tag(clinic, tagId);
      return intents.run(ASSIGNMENT, clinicId, params(tagId, userIds, true), steps ->
          patients.findOfClinic(clinicId, userIds)
              .compose(found -> PatientWrites.each(patients, withoutTag(found, tagId), patient -> PatientRepository.addingTag(patient, tagId),
                  () -> steps.reached("firstPatient")))
              .compose(v -> counts.refresh(clinicId)).mapEmpty());
    });
  }

  /** Takes the tag from these patients of the clinic (all when null), also a tag the clinic no longer has: repeatable. */
  public Future<Void> unassign(String clinicId, String tagId, List<String> userIds) {
    return locked.run(clinicId, clinic -> intents.run(ASSIGNMENT, clinicId, params(tagId, userIds, false), steps ->
        patients.findOfClinic(clinicId, userIds)
            .compose(found -> PatientWrites.each(patients, withTag(found, tagId), patient -> PatientRepository.removingTag(patient, tagId),
                () -> steps.reached("firstPatient")))
            .compose(v -> counts.refresh(clinicId)).mapEmpty()));
  }

  /**
   * An (un)assignment cut short is finished: the tag on all of its patients if the clinic still
   * has it (else off them, so that no patient keeps a tag the clinic lost), then the counts.
   */
  private Future<Void> convergeAssignment(Intent intent) {
    String tagId = intent.params().getString(TAG_ID);
    JsonArray ids = intent.params().getJsonArray(USER_IDS);
    List<String> userIds = ids == null ? null : ids.stream().map(String::valueOf).toList();
    return clinics.get(intent.clinicId()).compose(clinic -> {
      boolean add = intent.params().getBoolean(ASSIGN, false) && tagsOf(clinic).stream().anyMatch(tag -> tag.id().equals(tagId));
      return patients.findOfClinic(intent.clinicId(), userIds).compose(found -> add
          ? PatientWrites.each(patients, withoutTag(found, tagId), patient -> PatientRepository.addingTag(patient, tagId))
          : PatientWrites.each(patients, withTag(found, tagId), patient -> PatientRepository.removingTag(patient, tagId)));
    }).compose(v -> counts.refresh(intent.clinicId())).recover(PatientWrites::goneClinic).mapEmpty();
  }

  private static JsonObject params(String tagId, List<String> userIds, boolean assign) {
    return new JsonObject().put(TAG_ID, tagId).put(USER_IDS, userIds == null ? null : new JsonArray(userIds)).put(ASSIGN, assign);
  }

  /** The records to write are those the write changes: a batch's change record is written before its write. */
  private static List<Patient> withTag(List<Patient> found, String tagId) {
    return found.stream().filter(patient -> has(patient, tagId)).toList();
  }

  private static List<Patient> withoutTag(List<Patient> found, String tagId) {
    return found.stream().filter(patient -> !has(patient, tagId)).toList();
  }

  private static boolean has(Patient patient, String tagId) {
    return patient.tags() != null && patient.tags().contains(tagId);
  }

  static List<Clinic.PatientTag> tagsOf(Clinic clinic) {
    return clinic.patientTags() == null ? List.of() : clinic.patientTags();
  }

  /** The clinic's tag, or a 404. */
  static Clinic.PatientTag tag(Clinic clinic, String tagId) {
    return tagsOf(clinic).stream().filter(tag -> tag.id().equals(tagId)).findFirst()
        .orElseThrow(() -> ServiceError.notFound("patient tag " + tagId + " not found in clinic " + clinic.id()));
  }
}
