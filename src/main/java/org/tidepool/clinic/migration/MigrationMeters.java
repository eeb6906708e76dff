package org.tidepool.clinic.migration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.IntSupplier;

/** Patients migrated and skipped by this process, migrations it runs now, and how they ended. */
final class MigrationMeters {
  private final MeterRegistry registry;
  private final Counter migrated;
  private final Counter skipped;
  private final Counter completed;
  private final Counter failed;
  private final Meter running;

  MigrationMeters(MeterRegistry registry, IntSupplier running) {
    this.registry = registry;
    this.migrated = Counter.builder("clinic.migration.patients").tag("outcome", "migrated")
        .description("legacy patients moved into a clinic by this process").register(registry);
    this.skipped = Counter.builder("clinic.migration.patients").tag("outcome", "skipped")
        .description("legacy patients skipped because their account is gone").register(registry);
    this.completed = Counter.builder("clinic.migration.runs").tag("outcome", "completed")
        .description("migrations this process finished").register(registry);
    this.failed = Counter.builder("clinic.migration.runs").tag("outcome", "failed")
        .description("migrations this process ended FAILED").register(registry);
    this.running = Gauge.builder("clinic.migration.running", running, IntSupplier::getAsInt).strongReference(true)
        .description("migrations this process runs now").register(registry);
  }

  void migrated() {
    migrated.increment();
  }

  void skipped() {
    skipped.increment();
  }

  void completed() {
    completed.increment();
  }

  void failed() {
    failed.increment();
  }

  void close() {
    List.of(migrated, skipped, completed, failed, running).forEach(registry::remove);
  }
}
