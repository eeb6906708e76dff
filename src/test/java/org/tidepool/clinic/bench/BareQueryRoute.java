package org.tidepool.clinic.bench;

import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The ceiling's MongoDB work served over HTTP: every request runs the query at hand (the
 * benchmark sets it before each row) and returns what it read as JSON, a page with its counts
 * ({@code {data, meta}}) or the documents. No contract validation, auth, event bus or mapping:
 * what is left between this row and the ceiling is HTTP and the encoding of the reply.
 */
final class BareQueryRoute extends VerticleBase {
  private final AtomicReference<Supplier<Future<?>>> query;
  private final int port;

  BareQueryRoute(AtomicReference<Supplier<Future<?>>> query, int port) {
    this.query = query;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(request -> query.get().get()
        .onSuccess(result -> request.response().putHeader("content-type", "application/json").end(Json.encodeToBuffer(json(result))))
        .onFailure(failure -> request.response().setStatusCode(500).end(String.valueOf(failure.getMessage()))))
        .listen(port, "127.0.0.1");
  }

  private static Object json(Object result) {
    if (result instanceof CompositeFuture all) {
      return new JsonObject().put("data", new JsonArray((List<?>) all.resultAt(0)))
          .put("meta", new JsonObject().put("count", all.resultAt(2)).put("totalCount", all.resultAt(1)));
    }
    return result instanceof List<?> documents ? new JsonArray(documents) : result;
  }
}
