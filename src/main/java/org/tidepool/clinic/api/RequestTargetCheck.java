package org.tidepool.clinic.api;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The first handler of every request: its target must be one the router reads as it was sent.
 * <ul>
 *   <li>No {@code .} or {@code ..} path segment, raw or percent-encoded: Vert.x Web resolves them
 *       before routing, so {@code DELETE /v1/clinics/{id}/patient_tags/..} would be DeleteClinic.
 *       Such a path is a 400, whatever operation it would resolve to.</li>
 *   <li>Every percent-escape of the path and the query is well-formed: a malformed one is a 400
 *       naming the query parameter, instead of an exception wherever the query is first read.</li>
 * </ul>
 */
final class RequestTargetCheck implements PlatformHandler {
  private static final Pattern QUERY_SEPARATORS = Pattern.compile("[&;]");
  private static final int MAX_NAME_IN_MESSAGE = 100;

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    Optional<String> problem = pathProblem(request.path()).or(() -> queryProblem(request));
    if (problem.isPresent()) {
      ErrorResponses.send(rc, 400, problem.get());
    } else {
      rc.next();
    }
  }

  private static Optional<String> pathProblem(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String segment : path.split("/", -1)) {
      Optional<String> decoded = decoded(segment);
      if (decoded.isEmpty()) {
        return Optional.of("the request path could not be decoded: check its percent-encoding");
      }
      if (decoded.get().equals(".") || decoded.get().equals("..")) {
        return Optional.of("the request path must not contain '.' or '..' segments");
      }
    }
    return Optional.empty();
  }

  /** The query as the router will read it ({@code request.params()}), or which parameter spoils it. */
  private static Optional<String> queryProblem(HttpServerRequest request) {
    try {
      request.params();
      return Optional.empty();
    } catch (IllegalArgumentException malformed) {
      return Optional.of(culprit(request.query())
          .map(name -> "query parameter '" + name + "' could not be decoded: check its percent-encoding")
          .orElse("the query could not be decoded: check its percent-encoding"));
    }
  }

  private static Optional<String> culprit(String query) {
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : QUERY_SEPARATORS.split(query)) {
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      Optional<String> name = decoded(rawName);
      if (name.isEmpty()) {
        return Optional.of(shortened(rawName));
      }
      if (equals >= 0 && decoded(pair.substring(equals + 1)).isEmpty()) {
        return Optional.of(shortened(name.get()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> decoded(String component) {
    try {
      return Optional.of(QueryStringDecoder.decodeComponent(component, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  private static String shortened(String name) {
    return name.length() <= MAX_NAME_IN_MESSAGE ? name : name.substring(0, MAX_NAME_IN_MESSAGE) + "…";
  }
}
