package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tidepool.clinic.cdc.Eventually;
import org.tidepool.clinic.common.Actions;

/**
 * Stands at {@code clinic.mail} until the mail verticle is on main, recording the send requests
 * the consumer makes (the contract of docs/design.md) and answering {@code {"sent": true}}.
 */
final class MailRequestsSeen {
  private final Vertx vertx;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();

  private MailRequestsSeen(Vertx vertx) {
    this.vertx = vertx;
  }

  static MailRequestsSeen listen(Vertx vertx) {
    MailRequestsSeen seen = new MailRequestsSeen(vertx);
    vertx.eventBus().<JsonObject>consumer("clinic.mail", message -> {
      if (!"send".equals(message.headers().get(Actions.HEADER))) {
        message.fail(400, "unknown action");
        return;
      }
      seen.requests.add(message.body());
      message.reply(new JsonObject().put("sent", true));
    }).completion().await();
    return seen;
  }

  List<JsonObject> all() {
    return List.copyOf(requests);
  }

  List<JsonObject> to(String recipient) {
    return requests.stream().filter(r -> recipient.equals(r.getString("recipient"))).toList();
  }

  JsonObject awaitFor(String recipient) {
    return Eventually.await(vertx, "a mail request to " + recipient, () -> to(recipient).stream().findFirst().orElse(null));
  }
}
