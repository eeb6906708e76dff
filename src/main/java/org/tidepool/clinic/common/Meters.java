package org.tidepool.clinic.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

/**
 * The meter registry of one Vert.x instance (the one its metrics options write to), so that
 * verticles add their own meters next to Vert.x's. Without metrics the registry records nothing.
 */
public final class Meters {
  private static final String MAP = "clinic.metrics";
  private static final String REGISTRY = "registry";
  /** A composite without members: its meters are no-ops. */
  private static final MeterRegistry NONE = new CompositeMeterRegistry();

  private Meters() {}

  public static void attach(Vertx vertx, MeterRegistry registry) {
    vertx.sharedData().getLocalMap(MAP).put(REGISTRY, new Held(registry));
  }

  public static MeterRegistry of(Vertx vertx) {
    Object held = vertx.sharedData().getLocalMap(MAP).get(REGISTRY);
    return held instanceof Held h ? h.registry() : NONE;
  }

  /** Shared data holds only immutable or {@link Shareable} values; the registry is thread-safe. */
  private record Held(MeterRegistry registry) implements Shareable {}
}
