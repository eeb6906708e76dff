package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.membership.MembershipService;

/**
 * An account is deleted (rule 30): every patient record of the user goes (archived, counts
 * refreshed), then every clinician record (a clinic may be left without admin), then a clinic
 * left without any clinician loses its non-custodial patients; custodial ones stay to be
 * claimed. Each step repeats safely, so a removal cut short (by a failure or a crash) is run
 * again as a whole from its intent.
 */
public final class UserRemoval {
  static final String KIND = "UserRemoval";
  private static final String USER_ID = "userId";
  private static final String CLINIC_IDS = "clinicIds";

  private final PatientRepository patients;
  private final PatientService service;
  private final MembershipService membership;
  private final ClinicLock lock;
  private final IntentLog intents;

  public UserRemoval(PatientRepository patients, PatientService service, MembershipService membership, ClinicLock lock,
                     IntentLog intents) {
    this.patients = patients;
    this.service = service;
    this.membership = membership;
    this.lock = lock;
    this.intents = intents;
    intents.register(KIND, intent -> remove(intent.params().getString(USER_ID), strings(intent.params().getJsonArray(CLINIC_IDS)),
        step -> Future.succeededFuture()));
  }

  /**
   * Removes the user from every clinic, an intent of the user (with the clinics they are a
   * clinician of, decided up front): a removal cut short is run again.
   */
  public Future<Void> removeUser(String userId) {
    return membership.clinicsOf(userId).compose(clinicIds -> intents.runForUser(KIND, userId,
        new JsonObject().put(USER_ID, userId).put(CLINIC_IDS, new JsonArray(clinicIds)),
        steps -> remove(userId, clinicIds, steps::reached)));
  }

  private Future<Void> remove(String userId, List<String> clinicIds, Function<String, Future<Void>> reached) {
    return patients.findOfUser(userId, null)
        .compose(records -> forEach(records, record -> lock.run(record.clinicId(), () -> service.remove(record, null))))
        .compose(v -> reached.apply("patients"))
        .compose(v -> membership.removeUserEverywhere(userId))
        .compose(v -> reached.apply("clinicians"))
        .compose(v -> forEach(clinicIds, clinicId -> lock.run(clinicId, () -> membership.withoutClinicians(clinicId)
            .compose(orphaned -> !orphaned ? Future.succeededFuture() : patients.findNonCustodial(clinicId)
                .compose(nonCustodial -> forEach(nonCustodial, patient -> service.remove(patient, null)))))));
  }

  private static List<String> strings(JsonArray values) {
    return values == null ? List.of() : values.stream().map(String::valueOf).toList();
  }

  private static <T> Future<Void> forEach(List<T> items, Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item));
    }
    return chain;
  }
}
