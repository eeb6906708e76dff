package org.tidepool.clinic.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.ServiceError;

/** Writes the contract's {@code error.v1} body: {@code {"code": <status>, "message": "..."}}. */
final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  static final String INTERNAL = "internal error";

  private ErrorResponses() {}

  static void send(RoutingContext rc, int status, String message) {
    send(rc.response(), status, message);
  }

  /** For answers written before there is a routing context (e.g. a request the HTTP codec refused). */
  static void send(HttpServerResponse response, int status, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    String text = status == ServiceError.INTERNAL || message == null || message.isBlank() ? defaultMessage(status) : message;
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", status).put("message", text).encode());
  }

  /** Answers a failed operation with the status its {@link ServiceError#codeOf code} names. */
  static void sendFailure(RoutingContext rc, Throwable failure) {
    int status = ServiceError.codeOf(failure);
    if (status == ServiceError.INTERNAL) {
      LOG.error("{} {} failed", rc.request().method(), rc.request().path(), failure);
    }
    boolean transportFailure = failure instanceof ReplyException reply && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE;
    send(rc, status, transportFailure ? null : failure.getMessage());
  }

  static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body too large";
      case 414 -> "request line too long";
      case 431 -> "request header fields too large";
      case 415 -> "unsupported media type";
      case 503 -> "service unavailable";
      default -> INTERNAL;
    };
  }
}
