package org.tidepool.clinic.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A domain failure that travels over the event bus as {@code message.fail(code, text)}.
 * The code is the HTTP status the api verticle answers with.
 */
public final class ServiceError extends RuntimeException {
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int PAYMENT_REQUIRED = 402;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int UNPROCESSABLE = 422;
  public static final int INTERNAL = 500;
  public static final int UNAVAILABLE = 503;

  private final int code;

  public ServiceError(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ServiceError badRequest(String message) { return new ServiceError(BAD_REQUEST, message); }
  public static ServiceError notFound(String message) { return new ServiceError(NOT_FOUND, message); }
  public static ServiceError conflict(String message) { return new ServiceError(CONFLICT, message); }
  public static ServiceError unprocessable(String message) { return new ServiceError(UNPROCESSABLE, message); }
  public static ServiceError forbidden(String message) { return new ServiceError(FORBIDDEN, message); }
  public static ServiceError unauthorized(String message) { return new ServiceError(UNAUTHORIZED, message); }

  /** The HTTP-like code of any failure: a ServiceError's own, a reply failure's code, else 500. */
  public static int codeOf(Throwable failure) {
    if (failure instanceof ServiceError error) {
      return error.code;
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() >= 400 && reply.failureCode() < 600) {
        return reply.failureCode();
      }
      return UNAVAILABLE;
    }
    return INTERNAL;
  }
}
