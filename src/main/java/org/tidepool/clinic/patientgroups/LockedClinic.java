package org.tidepool.clinic.patientgroups;

import io.vertx.core.Future;
import java.util.function.Function;
import org.tidepool.clinic.clinics.Clinic;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;

/** A change of a clinic's tags or sites: under the clinic's lock, with the clinic as it is then (404 when it is gone). */
final class LockedClinic {
  private final ClinicService clinics;
  private final ClinicLock lock;

  LockedClinic(ClinicService clinics, ClinicLock lock) {
    this.clinics = clinics;
    this.lock = lock;
  }

  /** Runs {@code change}; a {@link ServiceError} it throws (a rule it checks) is its failure. */
  <T> Future<T> run(String clinicId, Function<Clinic, Future<T>> change) {
    return lock.run(clinicId, () -> clinics.get(clinicId).compose(clinic -> {
      try {
        return change.apply(clinic);
      } catch (ServiceError error) {
        return Future.failedFuture(error);
      }
    }));
  }

  /** The clinic a write returned, or a 404 when the write found none. */
  static Future<Clinic> found(Clinic written, String clinicId) {
    return written != null ? Future.succeededFuture(written) : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found"));
  }
}
