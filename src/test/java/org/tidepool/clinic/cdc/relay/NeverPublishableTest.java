package org.tidepool.clinic.cdc.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class NeverPublishableTest {
  @Test
  void refusalsAboutTheRecordItselfAreForGoodAlsoWhenWrapped() {
    assertThat(NeverPublishable.test(new RecordTooLargeException("too large"))).isTrue();
    assertThat(NeverPublishable.test(new CompletionException(new KafkaException(new InvalidTopicException("bad name"))))).isTrue();
    assertThat(NeverPublishable.test(new MalformedChangeRecord(new NullPointerException("event")))).isTrue();
  }

  @Test
  void outagesAndEverythingElseAreRetried() {
    assertThat(NeverPublishable.test(new TimeoutException("broker away"))).isFalse();
    assertThat(NeverPublishable.test(new NotLeaderOrFollowerException("moving"))).isFalse();
    assertThat(NeverPublishable.test(new TopicAuthorizationException("not allowed"))).isFalse();
    assertThat(NeverPublishable.test(new IllegalStateException("producer closed"))).isFalse();
  }
}
