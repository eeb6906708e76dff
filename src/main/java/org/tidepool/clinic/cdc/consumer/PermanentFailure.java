package org.tidepool.clinic.cdc.consumer;

/** A record that no retry can fix (it cannot be decoded, say): it goes to dead letters at once. */
public class PermanentFailure extends RuntimeException {
  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
