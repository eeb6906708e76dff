package org.tidepool.clinic.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ServerId;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.common.ServiceError;

/** Which database failures the caller sees as 503. */
class DatabaseFaultsTest {
  private static final ServerAddress SERVER = new ServerAddress("127.0.0.1", 27017);

  @Test
  void aPoolPausedAfterASocketTimeOutIsUnavailableLikeTheTimeOut() {
    MongoSocketReadTimeoutException timeout = new MongoSocketReadTimeoutException("Timeout while receiving message", SERVER, null);
    MongoConnectionPoolClearedException paused = new MongoConnectionPoolClearedException(new ServerId(new ClusterId(), SERVER), timeout);
    for (Throwable failure : new Throwable[] {timeout, paused}) {
      Throwable seen = DatabaseFaults.asUnavailable(failure).cause();
      assertThat(seen).isInstanceOf(ServiceError.class);
      assertThat(ServiceError.codeOf(seen)).isEqualTo(ServiceError.UNAVAILABLE);
    }
  }

  @Test
  void otherFailuresPassThrough() {
    IllegalStateException bug = new IllegalStateException("a bug");
    assertThat(DatabaseFaults.asUnavailable(bug).cause()).isSameAs(bug);
  }
}
