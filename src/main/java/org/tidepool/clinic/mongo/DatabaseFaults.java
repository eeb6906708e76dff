package org.tidepool.clinic.mongo;

import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.vertx.core.Future;
import org.tidepool.clinic.common.ServiceError;

/** A database that cannot be reached is a 503 for the caller, not an internal error. */
public final class DatabaseFaults {
  public static final String UNAVAILABLE = "the database is unavailable; try again later";

  private DatabaseFaults() {}

  public static <T> Future<T> asUnavailable(Throwable failure) {
    if (failure instanceof MongoTimeoutException || failure instanceof MongoSocketException
        || failure instanceof MongoNotPrimaryException) {
      return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, UNAVAILABLE));
    }
    return Future.failedFuture(failure);
  }
}
