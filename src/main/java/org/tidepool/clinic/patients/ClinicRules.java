package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.clinics.ClinicSettings;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;

/**
 * What a clinic says about its patients, read off the {@link Clinic}: MRN settings (rule 16),
 * the patient-count hard limit (rule 18, D19: {@link ClinicSettings.PatientCountSettings#hardLimitAt},
 * the default 250 plan patients for a clinic without settings) and its sites (rule 23).
 */
record ClinicRules(Clinic clinic) {
  static final int DEFAULT_HARD_LIMIT = 250;
  static final String MRN_REQUIRED = "mrn is required";
  static final String OVER_LIMIT = "patient count exceeds limit";
  private static final ClinicSettings.PatientCountSettings DEFAULT_LIMITS = new ClinicSettings.PatientCountSettings(
      new ClinicSettings.PatientCountLimit(DEFAULT_HARD_LIMIT, null, null), null);

  String clinicId() {
    return clinic.id();
  }

  boolean mrnRequired() {
    return clinic.settings().mrn() != null && clinic.settings().mrn().required();
  }

  boolean mrnUnique() {
    return clinic.settings().mrn() != null && clinic.settings().mrn().unique();
  }

  /** The clinic's sites of these ids, named as the clinic names them, each once; 422 for an id the clinic has no site of. */
  List<Patient.Site> sites(List<String> siteIds) {
    if (siteIds == null) {
      return null;
    }
    Map<String, String> names = new LinkedHashMap<>();
    if (clinic.sites() != null) {
      clinic.sites().forEach(site -> names.put(site.id(), site.name()));
    }
    List<Patient.Site> sites = new ArrayList<>();
    for (String id : siteIds.stream().distinct().toList()) {
      if (!names.containsKey(id)) {
        throw ServiceError.unprocessable("the clinic has no site with id " + id);
      }
      sites.add(new Patient.Site(id, names.get(id)));
    }
    return sites;
  }

  /** Runs {@code change} under the clinic's lock with the clinic's rules, read under it; 404 when the clinic does not exist. */
  static <T> Future<T> underLock(ClinicLock lock, ClinicService clinics, String clinicId, Function<ClinicRules, Future<T>> change) {
    return lock.run(clinicId, () -> clinics.get(clinicId).map(ClinicRules::new).compose(rules -> {
      try {
        return change.apply(rules);
      } catch (ServiceError error) {
        return Future.failedFuture(error);
      }
    }));
  }

  /** The clinic's cached count of plan patients, or null when it has none. */
  Long cachedPlanPatients() {
    return clinic.settings().patientCount() == null ? null : (long) clinic.settings().patientCount().plan();
  }

  /** The hard limit on plan patients in force at {@code now}, or null when none is. */
  Integer hardLimitAt(Instant now) {
    ClinicSettings.PatientCountSettings limits = clinic.settings().patientCountSettings() == null ? DEFAULT_LIMITS
        : clinic.settings().patientCountSettings();
    return limits.hardLimitAt(clinic.profile().country(), clinic.tier(), now);
  }
}
