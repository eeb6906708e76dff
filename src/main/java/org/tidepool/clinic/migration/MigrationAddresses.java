package org.tidepool.clinic.migration;

/** The migration verticle's event-bus address and actions. */
public final class MigrationAddresses {
  /** Takes over a migration: body {@code {migrationId}}; the reply means accepted, not finished. */
  public static final String ADDRESS = "clinic.migration";
  public static final String RUN = "run";

  private MigrationAddresses() {}
}
