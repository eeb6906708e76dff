package org.tidepool.clinic.logging;

import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Log4j's hook for the context data of a log event (registered in META-INF/services): adds the
 * request id bound to the current Vert.x context, as if it were in the MDC.
 */
public final class RequestContextData implements ContextDataProvider {
  @Override
  public Map<String, String> supplyContextData() {
    return RequestIds.logContext();
  }
}
