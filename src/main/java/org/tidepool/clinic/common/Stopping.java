package org.tidepool.clinic.common;

import io.vertx.core.Vertx;

/**
 * The process's stop in progress: begun by the application before it undeploys anything (then
 * readiness answers 503), with one deadline that every verticle's drain shares, so that the
 * whole stop stays within {@code SHUTDOWN_TIMEOUT_MS}.
 */
public final class Stopping {
  private static final String MAP = "clinic.stopping";
  private static final String DEADLINE = "deadlineMs";

  private Stopping() {}

  public static void begin(Vertx vertx, long timeoutMs) {
    vertx.sharedData().getLocalMap(MAP).putIfAbsent(DEADLINE, System.currentTimeMillis() + timeoutMs);
  }

  /** The stop is over (the same Vert.x may start the application again). */
  public static void end(Vertx vertx) {
    vertx.sharedData().getLocalMap(MAP).remove(DEADLINE);
  }

  public static boolean inProgress(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP).get(DEADLINE) != null;
  }

  /** What is left of the deadline; {@code timeoutMs} when a verticle is undeployed on its own. */
  public static long remainingMs(Vertx vertx, long timeoutMs) {
    Object deadline = vertx.sharedData().getLocalMap(MAP).get(DEADLINE);
    return deadline instanceof Long ms ? Math.max(0, ms - System.currentTimeMillis()) : timeoutMs;
  }
}
