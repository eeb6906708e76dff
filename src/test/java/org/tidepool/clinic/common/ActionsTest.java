package org.tidepool.clinic.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The event-bus convention: replies, coded failures, and unexpected failures that reveal nothing. */
class ActionsTest {
  static Vertx vertx;

  @BeforeAll
  static void serve() {
    vertx = Vertx.vertx();
    Actions.<JsonObject>serve(vertx, "actions.test", Map.of(
        "echo", message -> Future.succeededFuture(message.body()),
        "conflict", message -> Future.failedFuture(ServiceError.conflict("already there")),
        "broken", message -> {
          throw new IllegalStateException("secret detail of a bug");
        })).completion().await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  void aHandlersResultIsTheReply() {
    JsonObject body = new JsonObject().put("a", 1);
    assertEquals(body, Actions.<JsonObject>request(vertx.eventBus(), "actions.test", "echo", body).await());
  }

  @Test
  void aServiceErrorKeepsItsCodeAndMessage() {
    ReplyException failure = failure("conflict");
    assertEquals(409, failure.failureCode());
    assertEquals("already there", failure.getMessage());
  }

  @Test
  void anUnexpectedFailureIsA500ThatRevealsNothing() {
    ReplyException failure = failure("broken");
    assertEquals(500, failure.failureCode());
    assertEquals("internal error", failure.getMessage());
  }

  @Test
  void anUnknownActionIsABadRequest() {
    assertEquals(400, failure("nonsense").failureCode());
  }

  private static ReplyException failure(String action) {
    Future<Object> reply = Actions.request(vertx.eventBus(), "actions.test", action, new JsonObject());
    reply.otherwiseEmpty().await();
    return (ReplyException) reply.cause();
  }
}
