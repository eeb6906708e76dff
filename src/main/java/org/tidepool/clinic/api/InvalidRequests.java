package org.tidepool.clinic.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers the requests the HTTP codec could not read (they never reach the router) with the
 * status Vert.x would send, 414, 431 or 400, and the contract's JSON error body that Vert.x's
 * default handler leaves out.
 *
 * <p>Nothing more can be read on that connection, so the answer says {@code Connection: close}.
 * The server closes it only after {@link #LINGER_MS} (unless the client did first): closing at
 * once, while the client is still sending the rest of its headers, resets the connection and
 * the client may lose the answer. Meanwhile the codec discards whatever arrives.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  static final long LINGER_MS = 2000;

  private final Vertx vertx;
  private final HttpServerOptions options;

  InvalidRequests(Vertx vertx, HttpServerOptions options) {
    this.vertx = vertx;
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
    HttpConnection connection = request.connection();
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    ErrorResponses.send(request.response(), status, message);
    vertx.setTimer(LINGER_MS, fired -> connection.close());
  }
}
