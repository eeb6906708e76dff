package org.tidepool.clinic.patientgroups;

import io.vertx.core.Future;
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
 * A clinic's sites and their copies on its patients (rule 28): at most {@value #MAX_SITES}, names
 * unique ignoring case and whitespace. A rename, deletion, merge or a tag's conversion writes the
 * clinic and every affected patient: each is an intent under the clinic's lock whose resumer
 * finishes it from its record, so that after a crash none is half-applied.
 */
public final class SiteService {
  static final int MAX_SITES = 50;
  static final String DUPLICATE = "duplicate site name";
  static final String TOO_MANY = "the clinic has the maximum number of sites (" + MAX_SITES + ")";
  static final String CANNOT_CONVERT = "cannot convert the tag to a site: " + TOO_MANY;
  static final String INTO_ITSELF = "a site cannot be merged into itself";
  static final String RENAME = "SiteRename";
  static final String DELETION = "SiteDeletion";
  static final String MERGE = "SiteMerge";
  static final String CONVERSION = "TagConversion";
  private static final String SITE_ID = "siteId";
  private static final String SOURCE_ID = "sourceId";
  private static final String TAG_ID = "tagId";
  private static final String NAME = "name";

  private final ClinicService clinics;
  private final ClinicRepository clinicDocuments;
  private final PatientRepository patients;
  private final PatientCounts counts;
  private final LockedClinic locked;
  private final IntentLog intents;

  public SiteService(ClinicService clinics, ClinicRepository clinicDocuments, PatientRepository patients, PatientCounts counts,
                     ClinicLock lock, IntentLog intents) {
    this.clinics = clinics;
    this.clinicDocuments = clinicDocuments;
    this.patients = patients;
    this.counts = counts;
    this.locked = new LockedClinic(clinics, lock);
    this.intents = intents;
    intents.register(RENAME, intent -> renameCopies(intent.clinicId(), intent.params().getString(SITE_ID)).recover(PatientWrites::goneClinic));
    intents.register(DELETION, this::convergeDeletion);
    intents.register(MERGE, this::convergeMerge);
    intents.register(CONVERSION, this::convergeConversion);
  }

  /** A new site of the clinic: 422 beyond the limit, 409 when the clinic has the name. */
  public Future<Clinic.Site> create(String clinicId, String name) {
    String cleaned = GroupNames.clean(name);
    return locked.run(clinicId, clinic -> {
      List<Clinic.Site> sites = sitesOf(clinic);
      if (sites.size() >= MAX_SITES) {
        return Future.failedFuture(ServiceError.unprocessable(TOO_MANY));
      }
      if (GroupNames.taken(cleaned, names(sites))) {
        return Future.failedFuture(ServiceError.conflict(DUPLICATE));
      }
      Clinic.Site site = new Clinic.Site(MongoJson.newId(), cleaned);
      List<Clinic.Site> updated = new ArrayList<>(sites);
      updated.add(site);
      return clinicDocuments.setSites(clinicId, updated).compose(written -> LockedClinic.found(written, clinicId)).map(site);
    });
  }

  /** Renames the site on the clinic, then on every patient's copy: 404 for a site the clinic has not, 409 for another site's name. */
  public Future<Clinic.Site> rename(String clinicId, String siteId, String name) {
    String cleaned = GroupNames.clean(name);
    return locked.run(clinicId, clinic -> {
      Clinic.Site site = site(clinic, siteId);
      List<Clinic.Site> others = sitesOf(clinic).stream().filter(other -> !other.id().equals(siteId)).toList();
      if (GroupNames.taken(cleaned, names(others))) {
        return Future.failedFuture(ServiceError.conflict(DUPLICATE));
      }
      Clinic.Site renamed = new Clinic.Site(siteId, cleaned, site.numPatients());
      List<Clinic.Site> updated = sitesOf(clinic).stream().map(other -> other.id().equals(siteId) ? renamed : other).toList();
      return intents.run(RENAME, clinicId, new JsonObject().put(SITE_ID, siteId), steps ->
          clinicDocuments.setSites(clinicId, updated).compose(written -> LockedClinic.found(written, clinicId))
              .compose(written -> steps.reached("clinicRenamed"))
              .compose(v -> renameCopies(clinicId, siteId, steps))
              .map(renamed));
    });
  }

  /** Removes the site from the clinic, then from its patients: 404 for a site the clinic has not. */
  public Future<Void> delete(String clinicId, String siteId) {
    return locked.run(clinicId, clinic -> {
      site(clinic, siteId);
      return intents.run(DELETION, clinicId, new JsonObject().put(SITE_ID, siteId), steps ->
          removeFromClinic(clinicId, siteId)
              .compose(v -> steps.reached("clinicUpdated"))
              .compose(v -> patients.findAtSite(clinicId, siteId))
              .compose(found -> PatientWrites.each(patients, found, patient -> PatientRepository.replacingSites(patient, siteId, without(patient, siteId)),
                  () -> steps.reached("firstPatient")))
              .compose(v -> counts.refresh(clinicId)).mapEmpty());
    });
  }

  /**
   * Moves the patients of the site {@code sourceId} to the site {@code targetId}, then deletes the
   * source: 400 for a site merged into itself, 404 for a site the clinic has not. Answers the target.
   */
  public Future<Clinic.Site> merge(String clinicId, String targetId, String sourceId) {
    if (targetId.equals(sourceId)) {
      return Future.failedFuture(ServiceError.badRequest(INTO_ITSELF));
    }
    return locked.run(clinicId, clinic -> {
      site(clinic, targetId);
      site(clinic, sourceId);
      return intents.run(MERGE, clinicId, new JsonObject().put(SITE_ID, targetId).put(SOURCE_ID, sourceId), steps ->
          mergeSteps(clinicId, targetId, sourceId, steps).compose(v -> currentSite(clinicId, targetId)));
    });
  }

  /**
   * Makes a site of the tag, named as the tag ({@code " (2)"}, {@code " (3)"}, ... appended when
   * the clinic has a site of that name), moves the tag's patients to it and deletes the tag: 404
   * for a tag the clinic has not, 409 when the clinic has the maximum number of sites.
   */
  public Future<Clinic.Site> convertTag(String clinicId, String tagId) {
    return locked.run(clinicId, clinic -> {
      Clinic.PatientTag tag = TagService.tag(clinic, tagId);
      if (sitesOf(clinic).size() >= MAX_SITES) {
        return Future.failedFuture(ServiceError.conflict(CANNOT_CONVERT));
      }
      Clinic.Site site = new Clinic.Site(MongoJson.newId(), GroupNames.free(tag.name(), names(sitesOf(clinic))));
      JsonObject params = new JsonObject().put(TAG_ID, tagId).put(SITE_ID, site.id()).put(NAME, site.name());
      return intents.run(CONVERSION, clinicId, params, steps -> conversionSteps(clinicId, tagId, site, steps)
          .compose(v -> currentSite(clinicId, site.id())));
    });
  }

  private Future<Void> mergeSteps(String clinicId, String targetId, String sourceId, IntentLog.Steps steps) {
    return clinics.get(clinicId).compose(clinic -> {
      Patient.Site target = copyOf(site(clinic, targetId));
      return patients.findAtSite(clinicId, sourceId).compose(found -> PatientWrites.each(patients, found,
          patient -> PatientRepository.replacingSites(patient, sourceId, withSite(without(patient, sourceId), target)), () -> reached(steps, "firstPatient")));
    }).compose(v -> reached(steps, "patientsMoved"))
        .compose(v -> removeFromClinic(clinicId, sourceId))
        .compose(v -> counts.refresh(clinicId)).mapEmpty();
  }

  private Future<Void> conversionSteps(String clinicId, String tagId, Clinic.Site site, IntentLog.Steps steps) {
    Patient.Site copy = new Patient.Site(site.id(), site.name());
    return clinics.get(clinicId).compose(clinic -> sitesOf(clinic).stream().anyMatch(other -> other.id().equals(site.id()))
            ? Future.succeededFuture()
            : clinicDocuments.setSites(clinicId, plusSite(sitesOf(clinic), site)).mapEmpty())
        .compose(v -> reached(steps, "siteAdded"))
        .compose(v -> patients.findTagged(clinicId, tagId))
        .compose(found -> PatientWrites.each(patients, found, patient -> PatientRepository.movingTagToSite(patient, tagId, withSite(sitesOf(patient), copy)),
            () -> reached(steps, "firstPatient")))
        .compose(v -> reached(steps, "patientsMoved"))
        .compose(v -> clinics.get(clinicId))
        .compose(clinic -> TagService.tagsOf(clinic).stream().noneMatch(tag -> tag.id().equals(tagId)) ? Future.succeededFuture()
            : clinicDocuments.setPatientTags(clinicId, TagService.tagsOf(clinic).stream().filter(tag -> !tag.id().equals(tagId)).toList()))
        .compose(v -> counts.refresh(clinicId)).mapEmpty();
  }

  /** Every patient's copy of the site gets the clinic's name for it (none when the clinic lost the site). */
  private Future<Void> renameCopies(String clinicId, String siteId) {
    return renameCopies(clinicId, siteId, null);
  }

  private Future<Void> renameCopies(String clinicId, String siteId, IntentLog.Steps steps) {
    return clinics.get(clinicId).compose(clinic -> {
      Clinic.Site site = sitesOf(clinic).stream().filter(other -> other.id().equals(siteId)).findFirst().orElse(null);
      if (site == null) {
        return Future.succeededFuture();
      }
      return patients.findAtSite(clinicId, siteId).compose(found -> PatientWrites.each(patients,
          found.stream().filter(patient -> sitesOf(patient).stream().anyMatch(copy -> copy.id().equals(siteId) && !copy.name().equals(site.name())))
              .toList(),
          patient -> PatientRepository.replacingSites(patient, siteId, sitesOf(patient).stream()
              .map(copy -> copy.id().equals(siteId) ? new Patient.Site(siteId, site.name()) : copy).toList()),
          () -> reached(steps, "firstPatient")));
    });
  }

  /** A deletion cut short is finished: the site off the clinic and off every patient, then the counts. */
  private Future<Void> convergeDeletion(Intent intent) {
    String clinicId = intent.clinicId();
    String siteId = intent.params().getString(SITE_ID);
    return removeFromClinic(clinicId, siteId)
        .compose(v -> patients.findAtSite(clinicId, siteId))
        .compose(found -> PatientWrites.each(patients, found, patient -> PatientRepository.replacingSites(patient, siteId, without(patient, siteId))))
        .compose(v -> counts.refresh(clinicId)).recover(PatientWrites::goneClinic).mapEmpty();
  }

  /**
   * A merge cut short is finished: the source's patients to the target, the source off the
   * clinic. Were the target deleted since, the source's patients just lose the source.
   */
  private Future<Void> convergeMerge(Intent intent) {
    String clinicId = intent.clinicId();
    String targetId = intent.params().getString(SITE_ID);
    String sourceId = intent.params().getString(SOURCE_ID);
    return clinics.get(clinicId).compose(clinic -> sitesOf(clinic).stream().anyMatch(site -> site.id().equals(targetId))
            ? mergeSteps(clinicId, targetId, sourceId, null)
            : convergeDeletion(new Intent(intent.id(), DELETION, clinicId, new JsonObject().put(SITE_ID, sourceId), intent.createdTime())))
        .recover(PatientWrites::goneClinic).mapEmpty();
  }

  /** A conversion cut short is finished from its decided site (id and name), unless it never began (no tag, no site). */
  private Future<Void> convergeConversion(Intent intent) {
    String clinicId = intent.clinicId();
    String tagId = intent.params().getString(TAG_ID);
    Clinic.Site site = new Clinic.Site(intent.params().getString(SITE_ID), intent.params().getString(NAME));
    return clinics.get(clinicId).compose(clinic -> {
      boolean begun = sitesOf(clinic).stream().anyMatch(other -> other.id().equals(site.id()));
      boolean tagLeft = TagService.tagsOf(clinic).stream().anyMatch(tag -> tag.id().equals(tagId));
      return begun || tagLeft ? conversionSteps(clinicId, tagId, site, null) : Future.<Void>succeededFuture();
    }).recover(PatientWrites::goneClinic).mapEmpty();
  }

  /** The site as the clinic has it now (its count refreshed). */
  private Future<Clinic.Site> currentSite(String clinicId, String siteId) {
    return clinics.get(clinicId).map(clinic -> site(clinic, siteId));
  }

  private Future<Void> removeFromClinic(String clinicId, String siteId) {
    return clinics.get(clinicId).compose(clinic -> sitesOf(clinic).stream().noneMatch(site -> site.id().equals(siteId))
        ? Future.succeededFuture()
        : clinicDocuments.setSites(clinicId, sitesOf(clinic).stream().filter(site -> !site.id().equals(siteId)).toList()).mapEmpty());
  }

  /** A step of the running operation; none when a resumer repeats the steps. */
  private static Future<Void> reached(IntentLog.Steps steps, String step) {
    return steps == null ? Future.succeededFuture() : steps.reached(step);
  }

  private static List<Patient.Site> without(Patient patient, String siteId) {
    return sitesOf(patient).stream().filter(site -> !site.id().equals(siteId)).toList();
  }

  private static List<Clinic.Site> plusSite(List<Clinic.Site> sites, Clinic.Site site) {
    List<Clinic.Site> all = new ArrayList<>(sites);
    if (all.stream().noneMatch(other -> other.id().equals(site.id()))) {
      all.add(site);
    }
    return all;
  }

  private static List<Patient.Site> withSite(List<Patient.Site> sites, Patient.Site site) {
    List<Patient.Site> all = new ArrayList<>(sites);
    if (all.stream().noneMatch(other -> other.id().equals(site.id()))) {
      all.add(site);
    }
    return all;
  }

  private static Patient.Site copyOf(Clinic.Site site) {
    return new Patient.Site(site.id(), site.name());
  }

  private static List<Patient.Site> sitesOf(Patient patient) {
    return patient.sites() == null ? List.of() : patient.sites();
  }

  static List<Clinic.Site> sitesOf(Clinic clinic) {
    return clinic.sites() == null ? List.of() : clinic.sites();
  }

  private static List<String> names(List<Clinic.Site> sites) {
    return sites.stream().map(Clinic.Site::name).toList();
  }

  /** The clinic's site, or a 404. */
  static Clinic.Site site(Clinic clinic, String siteId) {
    return sitesOf(clinic).stream().filter(site -> site.id().equals(siteId)).findFirst()
        .orElseThrow(() -> ServiceError.notFound("site " + siteId + " not found in clinic " + clinic.id()));
  }
}
