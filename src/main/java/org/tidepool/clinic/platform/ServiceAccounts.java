package org.tidepool.clinic.platform;

import io.vertx.core.Future;

/** Resolves an OAuth2 client's service-account user id (client-credentials grant). */
public interface ServiceAccounts {
  Future<String> resolveUserId(String clientId, String clientSecret);
}
