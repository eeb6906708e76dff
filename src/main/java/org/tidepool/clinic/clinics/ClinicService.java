package org.tidepool.clinic.clinics;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.Page;

/** Clinic reads and profile updates, in domain values. Creation and deletion are the membership's. */
public final class ClinicService {
  public static final String NOT_MIGRATED = "clinic is not migrated";

  private final ClinicRepository clinics;

  public ClinicService(ClinicRepository clinics) {
    this.clinics = clinics;
  }

  public Future<List<Clinic>> list(ClinicFilter filter, Page page) {
    return clinics.find(filter, page);
  }

  /** The clinic, or a 404. */
  public Future<Clinic> get(String clinicId) {
    return clinics.findById(clinicId).compose(clinic -> clinic != null
        ? Future.succeededFuture(clinic)
        : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found")));
  }

  /** The clinic, or a 404; a 422 when it is not migrated (clinician writes need a migrated clinic). */
  public Future<Clinic> getMigrated(String clinicId) {
    return get(clinicId).compose(clinic -> clinic.migrated()
        ? Future.succeededFuture(clinic)
        : Future.failedFuture(ServiceError.unprocessable(NOT_MIGRATED)));
  }

  public Future<Clinic> getByShareCode(String code) {
    return clinics.findByShareCode(code).compose(clinic -> clinic != null
        ? Future.succeededFuture(clinic)
        : Future.failedFuture(ServiceError.notFound("no clinic has share code " + code)));
  }

  /** The clinics of these ids that exist, in no particular order. */
  public Future<List<Clinic>> findByIds(Collection<String> clinicIds) {
    return clinics.findByIds(clinicIds);
  }

  /** Profile fields that are not null change; the others stay as stored (D18). */
  public Future<Clinic> updateProfile(String clinicId, ClinicProfile profile) {
    return clinics.updateProfile(clinicId, profile).compose(updated -> updated != null
        ? Future.succeededFuture(updated)
        : Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found")));
  }
}
