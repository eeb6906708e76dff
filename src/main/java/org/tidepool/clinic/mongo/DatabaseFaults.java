package org.tidepool.clinic.mongo;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.vertx.core.Future;
import org.tidepool.clinic.common.ServiceError;

/**
 * A database that cannot be reached is a 503 for the caller, not an internal error: time-outs,
 * socket failures, no primary, and a pool paused because another operation's connection failed
 * (what a cursor's next {@code getMore} meets after a socket time-out elsewhere).
 */
public final class DatabaseFaults {
  public static final String UNAVAILABLE = "the database is unavailable; try again later";

  private DatabaseFaults() {}

  public static <T> Future<T> asUnavailable(Throwable failure) {
    if (failure instanceof MongoTimeoutException || failure instanceof MongoSocketException
        || failure instanceof MongoNotPrimaryException || failure instanceof MongoConnectionPoolClearedException) {
      return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, UNAVAILABLE));
    }
    return Future.failedFuture(failure);
  }
}
