package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * Turns a request's credentials into a {@link Caller}. Fails with a
 * {@link org.tidepool.clinic.common.ServiceError} of code 401 when they are missing or invalid.
 */
public interface Authenticator {

  Future<Caller> authenticate(MultiMap headers);
}
