package org.tidepool.clinic.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.logging.RequestIds;

/**
 * The first handler of every request: binds its request id (the client's {@code X-Request-Id},
 * else a new one) to the request's context, so that every line logged while it is handled
 * carries it, returns it in the response, and logs one access line when the response is done:
 * method, route template and operationId (never the query or body: they carry names, emails,
 * birth dates), status, duration, remote address. Probes are not logged, as upstream's.
 */
final class AccessLog implements PlatformHandler {
  static final String ROUTE = AccessLog.class.getName() + ".route";
  static final String OPERATION = AccessLog.class.getName() + ".operation";
  private static final Set<String> PROBES = Set.of("/ready", "/status", "/metrics");
  private static final Logger LOG = LoggerFactory.getLogger("access");

  @Override
  public void handle(RoutingContext rc) {
    String id = RequestIds.fromHeaders(rc.request().headers());
    RequestIds.bind(id);
    rc.response().putHeader(RequestIds.HEADER, id);
    if (!PROBES.contains(rc.request().path())) {
      long started = System.nanoTime();
      rc.addEndHandler(done -> log(rc, started));
    }
    rc.next();
  }

  /**
   * Names the route (and the contract operation) an access line reports; a platform handler, as
   * it comes before authentication, which Vert.x Web counts as one.
   */
  static PlatformHandler route(String template, String operationId) {
    return rc -> {
      rc.put(ROUTE, template);
      if (operationId != null) {
        rc.put(OPERATION, operationId);
      }
      rc.next();
    };
  }

  private static void log(RoutingContext rc, long started) {
    SocketAddress remote = rc.request().remoteAddress();
    var line = LOG.atInfo()
        .addKeyValue("method", rc.request().method().name())
        .addKeyValue("status", rc.response().getStatusCode())
        .addKeyValue("durationMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .addKeyValue("remoteAddress", remote == null ? "" : remote.hostAddress());
    String route = rc.get(ROUTE);
    if (route != null) {
      line = line.addKeyValue("route", route);
    }
    String operation = rc.get(OPERATION);
    if (operation != null) {
      line = line.addKeyValue("operationId", operation);
    }
    line.log("request");
  }
}
