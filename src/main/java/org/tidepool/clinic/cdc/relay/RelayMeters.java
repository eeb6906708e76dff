package org.tidepool.clinic.cdc.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * The relay's meters: the outbox backlog and the age of its oldest record (measured by every
 * relay), records published per collection with their latency from the write to Kafka's
 * acknowledgement, records parked, and whether this relay holds the lease.
 */
final class RelayMeters {
  /** The published collections (docs/design.md); a record of any other is counted as "other". */
  private static final Set<String> PUBLISHED = Set.of("clinics", "clinicians", "patients", "patient_deletions", "migrations");

  private final MeterRegistry registry;
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong oldestCreatedMs = new AtomicLong();
  private final Timer latency;
  private final List<Meter> meters = new ArrayList<>();

  RelayMeters(MeterRegistry registry, BooleanSupplier leaseHeld) {
    this.registry = registry;
    meters.add(Gauge.builder("clinic.cdc.outbox.backlog", backlog, AtomicLong::get)
        .description("change records waiting in cdc_outbox (pending or ready)").register(registry));
    meters.add(Gauge.builder("clinic.cdc.outbox.oldest.age", oldestCreatedMs, RelayMeters::ageSeconds)
        .baseUnit("seconds").description("age of the oldest change record not yet published (0 when the outbox is empty)")
        .register(registry));
    meters.add(Gauge.builder("clinic.cdc.relay.lease.held", leaseHeld, held -> held.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 while this relay holds the publishing lease").register(registry));
    latency = Timer.builder("clinic.cdc.relay.publish.latency")
        .description("from the change record's write to Kafka's acknowledgement").register(registry);
    meters.add(latency);
  }

  void backlog(long records, Instant oldestCreated) {
    backlog.set(records);
    oldestCreatedMs.set(oldestCreated == null ? 0 : oldestCreated.toEpochMilli());
  }

  void published(JsonObject record) {
    Counter.builder("clinic.cdc.relay.published").description("change records published to Kafka, by collection")
        .tag("collection", collection(record)).register(registry).increment();
    Instant created = createdTime(record);
    if (created != null) {
      latency.record(Duration.between(created, Instant.now()));
    }
  }

  void parked(JsonObject record) {
    Counter.builder("clinic.cdc.relay.parked").description("change records Kafka never accepts, moved to cdc_parked")
        .tag("collection", collection(record)).register(registry).increment();
  }

  void close() {
    meters.forEach(registry::remove);
  }

  private static double ageSeconds(AtomicLong createdMs) {
    long created = createdMs.get();
    return created == 0 ? 0 : Math.max(0, System.currentTimeMillis() - created) / 1000.0;
  }

  /** Only the published collections are labels, never a value a malformed record brings. */
  private static String collection(JsonObject record) {
    String coll = record.getString("coll");
    return coll != null && PUBLISHED.contains(coll) ? coll : "other";
  }

  private static Instant createdTime(JsonObject record) {
    try {
      return MongoJson.instant(record.getValue("createdTime"));
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}
