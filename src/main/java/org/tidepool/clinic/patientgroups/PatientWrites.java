package org.tidepool.clinic.patientgroups;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.PublishedWrites.DocumentUpdate;
import org.tidepool.clinic.patients.Patient;
import org.tidepool.clinic.patients.PatientRepository;

/**
 * A bulk change of a clinic's patients: one repeatable conditional update per record, written
 * {@value #BATCH} at a time through {@link PatientRepository#updateEach} (each record still its
 * own published change, as upstream's connector publishes an {@code updateMany} one document at
 * a time).
 */
final class PatientWrites {
  static final int BATCH = 200;

  private PatientWrites() {}

  /**
   * Writes the first record alone, then reports {@code afterFirst} (a step of the operation's
   * intent), then the rest {@link #BATCH} at a time, one batch after the other.
   */
  static Future<Void> each(PatientRepository repository, List<Patient> patients, Function<Patient, DocumentUpdate> change,
                           Supplier<Future<Void>> afterFirst) {
    if (patients.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<Void> chain = repository.updateEach(List.of(change.apply(patients.get(0)))).compose(written -> afterFirst.get());
    for (int from = 1; from < patients.size(); from += BATCH) {
      List<DocumentUpdate> batch = patients.subList(from, Math.min(patients.size(), from + BATCH)).stream().map(change).toList();
      chain = chain.compose(v -> repository.updateEach(batch).mapEmpty());
    }
    return chain;
  }

  static Future<Void> each(PatientRepository repository, List<Patient> patients, Function<Patient, DocumentUpdate> change) {
    return each(repository, patients, change, Future::succeededFuture);
  }

  /** For resumers: a clinic deleted since leaves nothing to finish. */
  static <T> Future<T> goneClinic(Throwable failure) {
    return ServiceError.codeOf(failure) == ServiceError.NOT_FOUND ? Future.succeededFuture() : Future.failedFuture(failure);
  }
}
