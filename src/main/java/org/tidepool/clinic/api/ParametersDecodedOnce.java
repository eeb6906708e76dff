package org.tidepool.clinic.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.ValidatableRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Extracts the request to validate like {@link RequestExtractor#withBodyHandler()}, with query
 * and path values decoded exactly once, as URLs mean them.
 *
 * <p>vertx-openapi 5.0.x decodes parameter values with {@link java.net.URLDecoder}, made for
 * form data:
 * <ul>
 *   <li>query values come from {@code request.params()}, which Vert.x has already decoded
 *       (eclipse-vertx/vertx-openapi#117): {@code search=a%2Bb} became {@code "a b"} and
 *       {@code search=100%25} a 400. The library is handed those values encoded again, so its
 *       own decoding restores what Vert.x decoded;</li>
 *   <li>path values come from the raw {@code request.path()}, where a {@code +} is a plus, not a
 *       space: it is handed to the library as {@code %2B}.</li>
 * </ul>
 */
final class ParametersDecodedOnce implements RequestExtractor {

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext rc, Operation operation) {
    try {
      return RequestUtils.extract(withEncodedParameters(rc.request()), operation, () -> Future.succeededFuture(rc.body().buffer()));
    } catch (RuntimeException unreadable) {
      return Future.failedFuture(unreadable);
    }
  }

  private static HttpServerRequest withEncodedParameters(HttpServerRequest request) {
    MultiMap encoded = MultiMap.caseInsensitiveMultiMap();
    request.params().forEach((name, value) -> encoded.add(name, URLEncoder.encode(value, StandardCharsets.UTF_8)));
    String path = request.path() == null ? null : request.path().replace("+", "%2B");
    return (HttpServerRequest) Proxy.newProxyInstance(HttpServerRequest.class.getClassLoader(), new Class<?>[] {HttpServerRequest.class},
        (proxy, method, args) -> {
          if (method.getParameterCount() == 0 && method.getName().equals("params")) {
            return encoded;
          }
          if (method.getParameterCount() == 0 && method.getName().equals("path")) {
            return path;
          }
          try {
            return method.invoke(request, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
