package org.tidepool.clinic.cdc.relay;

import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The refusals that say a change record can never be published as it is, however often it is
 * sent: the relay parks such a record and goes on. The list is deliberately short and names
 * only refusals about the record itself. Everything else (a broker away, timeouts, not-leader,
 * authorisation, errors not listed here) says nothing about the record, so it waits and is
 * retried: nothing is lost while Kafka is down or misconfigured.
 */
final class NeverPublishable {
  private static final List<Class<? extends Throwable>> REFUSALS = List.of(
      // over the producer's max.request.size / buffer.memory, or the broker's message.max.bytes
      RecordTooLargeException.class,
      RecordBatchTooLargeException.class,
      // the topic name built from the record's collection is not a legal topic name
      InvalidTopicException.class,
      // the broker's validation refuses the record (e.g. its timestamp)
      InvalidRecordException.class,
      SerializationException.class,
      // the record cannot even be turned into a Kafka record (a recorder bug or a hand edit)
      MalformedChangeRecord.class);

  private NeverPublishable() {}

  /** Whether the failure, or any failure it wraps, is one of {@link #REFUSALS}. */
  static boolean test(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      Class<?> type = cause.getClass();
      if (REFUSALS.stream().anyMatch(refusal -> refusal.isAssignableFrom(type))) {
        return true;
      }
    }
    return false;
  }
}
