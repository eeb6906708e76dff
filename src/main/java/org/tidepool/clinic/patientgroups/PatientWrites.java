package org.tidepool.clinic.patientgroups;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.patients.Patient;

/**
 * One repeatable write per patient record, several at a time: a bulk change of a clinic's
 * patients (each record its own published write, as upstream's connector publishes an
 * {@code updateMany} one document at a time).
 */
final class PatientWrites {
  static final int AT_A_TIME = 16;

  private PatientWrites() {}

  /**
   * Writes the first record alone, then reports {@code afterFirst} (a step of the operation's
   * intent), then the rest {@link #AT_A_TIME} at a time.
   */
  static Future<Void> each(List<Patient> patients, Function<Patient, Future<Void>> write, Supplier<Future<Void>> afterFirst) {
    if (patients.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<Void> chain = write.apply(patients.get(0)).compose(v -> afterFirst.get());
    for (int from = 1; from < patients.size(); from += AT_A_TIME) {
      List<Patient> chunk = patients.subList(from, Math.min(patients.size(), from + AT_A_TIME));
      chain = chain.compose(v -> Future.all(chunk.stream().map(write).toList()).mapEmpty());
    }
    return chain;
  }

  /** For resumers: a clinic deleted since leaves nothing to finish. */
  static <T> Future<T> goneClinic(Throwable failure) {
    return ServiceError.codeOf(failure) == ServiceError.NOT_FOUND ? Future.succeededFuture() : Future.failedFuture(failure);
  }

  static Future<Void> each(List<Patient> patients, Function<Patient, Future<Void>> write) {
    return each(patients, write, Future::succeededFuture);
  }
}
