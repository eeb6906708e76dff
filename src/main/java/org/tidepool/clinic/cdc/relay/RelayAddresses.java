package org.tidepool.clinic.cdc.relay;

/** Event-bus addresses of the relay. */
public final class RelayAddresses {
  /** Any message here (body ignored) makes the relay publish ready change records at once. */
  public static final String NUDGE = "cdc.relay.nudge";

  private RelayAddresses() {}
}
