package org.tidepool.clinic.intents;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** Runs a change of one clinic while no other change of that clinic runs (in any process). */
@FunctionalInterface
public interface ClinicLocks {
  <T> Future<T> run(String clinicId, Supplier<Future<T>> change);
}
