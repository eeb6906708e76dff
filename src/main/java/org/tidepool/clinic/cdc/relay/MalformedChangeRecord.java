package org.tidepool.clinic.cdc.relay;

/** A change record that cannot be turned into a Kafka record: no event, or one that is not a BSON document. */
final class MalformedChangeRecord extends RuntimeException {
  MalformedChangeRecord(Throwable cause) {
    super("malformed change record: " + cause, cause);
  }
}
