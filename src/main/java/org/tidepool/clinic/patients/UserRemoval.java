package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import java.util.List;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.membership.MembershipService;

/**
 * An account is deleted (rule 30): every patient record of the user goes (archived, counts
 * refreshed), then every clinician record (a clinic may be left without admin), then a clinic
 * left without any clinician loses its non-custodial patients; custodial ones stay to be
 * claimed. Each step repeats safely: after a failure the whole removal can be run again.
 */
public final class UserRemoval {
  private final PatientRepository patients;
  private final PatientService service;
  private final MembershipService membership;
  private final ClinicLock lock;

  public UserRemoval(PatientRepository patients, PatientService service, MembershipService membership, ClinicLock lock) {
    this.patients = patients;
    this.service = service;
    this.membership = membership;
    this.lock = lock;
  }

  public Future<Void> removeUser(String userId) {
    return patients.findOfUser(userId, null)
        .compose(records -> forEach(records, record -> lock.run(record.clinicId(), () -> service.remove(record, null))))
        .compose(v -> membership.removeUserEverywhere(userId))
        .compose(orphaned -> forEach(orphaned, clinicId -> lock.run(clinicId, () -> patients.findNonCustodial(clinicId)
            .compose(nonCustodial -> forEach(nonCustodial, patient -> service.remove(patient, null))))));
  }

  private static <T> Future<Void> forEach(List<T> items, java.util.function.Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item));
    }
    return chain;
  }
}
