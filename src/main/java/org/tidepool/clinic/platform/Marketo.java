package org.tidepool.clinic.platform;

import io.vertx.core.Future;

/** The marketo-service's refresh of a clinician ({@code POST /v1/users/{userId}/marketo}). */
public interface Marketo {
  Marketo DISABLED = userId -> Future.succeededFuture(false);

  /** True when it was refreshed, false when skipped (disabled or embedded). */
  Future<Boolean> refresh(String userId);
}
