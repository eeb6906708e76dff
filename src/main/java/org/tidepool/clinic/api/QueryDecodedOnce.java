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
 * values decoded exactly once.
 *
 * <p>vertx-openapi 5.0.x URL-decodes the values of {@code request.params()}, which Vert.x has
 * already decoded (eclipse-vertx/vertx-openapi#117): {@code search=a%2Bb} became {@code "a b"}
 * and {@code search=100%25} a 400. So the library is handed a view of the request whose
 * {@code params()} are encoded again; its own decoding then restores the values Vert.x decoded.
 */
final class QueryDecodedOnce implements RequestExtractor {

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext rc, Operation operation) {
    try {
      return RequestUtils.extract(withEncodedParams(rc.request()), operation, () -> Future.succeededFuture(rc.body().buffer()));
    } catch (RuntimeException unreadable) {
      return Future.failedFuture(unreadable);
    }
  }

  private static HttpServerRequest withEncodedParams(HttpServerRequest request) {
    MultiMap encoded = MultiMap.caseInsensitiveMultiMap();
    request.params().forEach((name, value) -> encoded.add(name, URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return (HttpServerRequest) Proxy.newProxyInstance(HttpServerRequest.class.getClassLoader(), new Class<?>[] {HttpServerRequest.class},
        (proxy, method, args) -> {
          if (method.getName().equals("params") && method.getParameterCount() == 0) {
            return encoded;
          }
          try {
            return method.invoke(request, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
