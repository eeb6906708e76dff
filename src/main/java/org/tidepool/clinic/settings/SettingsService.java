package org.tidepool.clinic.settings;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.clinics.ClinicSettings;
import org.tidepool.clinic.clinics.ClinicSettings.EhrSettings;
import org.tidepool.clinic.clinics.ClinicSettings.MembershipRestriction;
import org.tidepool.clinic.clinics.ClinicSettings.MrnSettings;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCount;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCountSettings;
import org.tidepool.clinic.clinics.ClinicSettingsDocuments;
import org.tidepool.clinic.common.ServiceError;

/**
 * A clinic's settings, read and replaced in domain values: tier, suppressed notifications,
 * membership restrictions, EHR, MRN and patient-count settings, and the cached patient count.
 * Every write is one published update of the clinic document (its revision goes up).
 */
public final class SettingsService {
  private final ClinicService clinics;
  private final ClinicRepository clinicDocuments;
  private final PatientCounts patientCounts;

  public SettingsService(ClinicService clinics, ClinicRepository clinicDocuments, PatientCounts patientCounts) {
    this.clinics = clinics;
    this.clinicDocuments = clinicDocuments;
    this.patientCounts = patientCounts;
  }

  public Future<Clinic> updateTier(String clinicId, String tier) {
    return set(clinicId, new JsonObject().put("tier", tier));
  }

  /** Replaces the suppressed notifications ({@code patientClinicInvitation}). */
  public Future<Clinic> updateSuppressedNotifications(String clinicId, Map<String, Object> suppressed) {
    return set(clinicId, new JsonObject().put("suppressedNotifications", new JsonObject(suppressed)));
  }

  /** The restrictions, empty when the clinic has none. */
  public Future<List<MembershipRestriction>> membershipRestrictions(String clinicId) {
    return clinics.get(clinicId).map(clinic -> orEmpty(clinic.settings().membershipRestrictions()));
  }

  public Future<List<MembershipRestriction>> updateMembershipRestrictions(String clinicId, List<MembershipRestriction> restrictions) {
    return set(clinicId, new JsonObject().put(ClinicSettingsDocuments.MEMBERSHIP_RESTRICTIONS,
        ClinicSettingsDocuments.restrictionsDocument(restrictions)))
        .map(clinic -> orEmpty(clinic.settings().membershipRestrictions()));
  }

  /** The EHR settings; 404 when the clinic has none. */
  public Future<EhrSettings> ehrSettings(String clinicId) {
    return setting(clinicId, ClinicSettings::ehr, "EHR settings");
  }

  public Future<EhrSettings> updateEhrSettings(String clinicId, EhrSettings ehr) {
    return set(clinicId, new JsonObject().put(ClinicSettingsDocuments.EHR_SETTINGS, ClinicSettingsDocuments.ehrDocument(ehr)))
        .map(clinic -> clinic.settings().ehr());
  }

  /** The MRN settings; 404 when the clinic has none. */
  public Future<MrnSettings> mrnSettings(String clinicId) {
    return setting(clinicId, ClinicSettings::mrn, "MRN settings");
  }

  public Future<MrnSettings> updateMrnSettings(String clinicId, MrnSettings mrn) {
    return set(clinicId, new JsonObject().put(ClinicSettingsDocuments.MRN_SETTINGS, ClinicSettingsDocuments.mrnDocument(mrn)))
        .map(clinic -> clinic.settings().mrn());
  }

  /** The stored patient-count limits; 404 when the clinic has none. */
  public Future<PatientCountSettings> patientCountSettings(String clinicId) {
    return setting(clinicId, ClinicSettings::patientCountSettings, "patient count settings");
  }

  /** Replaces the limits; a negative plan or a window ending before it starts is a 400. */
  public Future<PatientCountSettings> updatePatientCountSettings(String clinicId, PatientCountSettings settings) {
    String problem = settings.problem();
    if (problem != null) {
      return Future.failedFuture(ServiceError.badRequest(problem));
    }
    return set(clinicId, new JsonObject().put(ClinicSettingsDocuments.PATIENT_COUNT_SETTINGS,
        ClinicSettingsDocuments.patientCountSettingsDocument(settings)))
        .map(clinic -> clinic.settings().patientCountSettings());
  }

  /** The cached counts; counted (and cached) now when the clinic has none yet. */
  public Future<PatientCount> patientCount(String clinicId) {
    return clinics.get(clinicId).compose(clinic -> clinic.settings().patientCount() != null
        ? Future.succeededFuture(clinic.settings().patientCount())
        : patientCounts.refresh(clinicId));
  }

  private <T> Future<T> setting(String clinicId, Function<ClinicSettings, T> which, String what) {
    return clinics.get(clinicId).compose(clinic -> {
      T setting = which.apply(clinic.settings());
      return setting != null ? Future.succeededFuture(setting)
          : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " has no " + what));
    });
  }

  private Future<Clinic> set(String clinicId, JsonObject fields) {
    return clinicDocuments.setSettings(clinicId, fields).compose(updated -> updated != null
        ? Future.succeededFuture(updated)
        : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found")));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
