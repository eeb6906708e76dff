package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;

/**
 * Calls to one Tidepool service with this service's server token ({@code x-tidepool-session-token}).
 * A service that cannot be reached, stays silent past {@code PLATFORM_REQUEST_TIMEOUT_MS} or
 * answers a status the caller does not accept fails with 503: the consumer retries it.
 */
final class TidepoolHttp {
  private final ShorelineSession session;
  private final String service;
  private final String address;
  private final long timeoutMs;

  /** @param timeoutMs the longest a call may take as a whole */
  TidepoolHttp(ShorelineSession session, String service, String address, long timeoutMs) {
    this.session = session;
    this.service = service;
    this.timeoutMs = timeoutMs;
    this.address = address.isEmpty() ? "" : ShorelineSession.withoutTrailingSlash(address);
  }

  String service() {
    return service;
  }

  /** The response, when its status is one of {@code accepted}. */
  Future<HttpResponse<Buffer>> call(HttpMethod method, String path, Object jsonBody, boolean contentType, Set<Integer> accepted) {
    String url = address + path;
    return session.send(token -> {
          HttpRequest<Buffer> request = session.client().requestAbs(method, url).putHeader(ShorelineSession.SESSION_TOKEN_HEADER, token)
              .timeout(timeoutMs);
          if (jsonBody == null) {
            return request.send();
          }
          if (contentType) {
            request.putHeader("Content-Type", "application/json");
          }
          return request.sendBuffer(encode(jsonBody));
        })
        .recover(failure -> Future.failedFuture(failure instanceof ServiceError ? failure
            : new ServiceError(ServiceError.UNAVAILABLE, service + " is unreachable: " + failure.getMessage())))
        .compose(response -> accepted.contains(response.statusCode()) ? Future.succeededFuture(response)
            : Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE,
                service + " answered status " + response.statusCode() + " to " + method + " " + path)));
  }

  private static Buffer encode(Object body) {
    if (body instanceof JsonObject object) {
      return object.toBuffer();
    }
    if (body instanceof JsonArray array) {
      return array.toBuffer();
    }
    if (body instanceof Buffer raw) {
      return raw;
    }
    return Buffer.buffer(String.valueOf(body));
  }

  static JsonObject object(HttpResponse<Buffer> response, String service) {
    try {
      return response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      throw new ServiceError(ServiceError.UNAVAILABLE, service + " answered a body that is not a JSON object");
    }
  }

  static JsonArray array(HttpResponse<Buffer> response, String service) {
    try {
      JsonArray array = response.bodyAsJsonArray();
      return array == null ? new JsonArray() : array;
    } catch (RuntimeException e) {
      throw new ServiceError(ServiceError.UNAVAILABLE, service + " answered a body that is not a JSON array");
    }
  }
}
