package org.tidepool.clinic.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Names each operation's route by its operationId: the HTTP server metrics label requests with
 * the route's name, so they count by operation (a bounded set) instead of by path template.
 */
final class OperationRoutes {
  private OperationRoutes() {}

  static void nameByOperation(Router router, OpenAPIContract contract) {
    Map<String, String> operationIds = new HashMap<>();
    for (Operation operation : contract.operations()) {
      operationIds.put(key(operation.getHttpMethod(), routerPath(operation.getOpenAPIPath())), operation.getOperationId());
    }
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> methods = route.methods();
      if (route.getPath() == null || methods == null || methods.size() != 1) {
        continue;
      }
      String operationId = operationIds.get(key(methods.iterator().next(), route.getPath()));
      if (operationId != null) {
        route.setName(operationId);
      }
    }
  }

  /** The router's form of a contract path: {@code {clinicId}} becomes {@code :clinicId}. */
  private static String routerPath(String openApiPath) {
    return openApiPath.replaceAll("\\{([^}/]+)}", ":$1");
  }

  private static String key(HttpMethod method, String path) {
    return method.name() + " " + path;
  }
}
