package org.tidepool.clinic.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers the requests the HTTP codec could not read (they never reach the router) with the
 * status Vert.x would send, 414, 431 or 400, and the contract's JSON error body that Vert.x's
 * default handler leaves out. The connection is closed after: what follows on it cannot be read.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  private final HttpServerOptions options;

  InvalidRequests(HttpServerOptions options) {
    this.options = options;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "request line too long: at most " + options.getMaxInitialLineLength() + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "request header fields too large: at most " + options.getMaxHeaderSize() + " bytes";
    } else {
      status = 400;
      message = "malformed HTTP request";
    }
    ErrorResponses.send(request.response(), status, message);
    request.connection().close();
  }
}
