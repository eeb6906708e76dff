package org.tidepool.clinic.mail;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.Actions;

/** Asks the mail verticle to send a template; it sends once per dedup key. */
public final class MailRequests {
  private static final Logger log = LoggerFactory.getLogger(MailRequests.class);

  private final EventBus bus;

  public MailRequests(EventBus bus) {
    this.bus = bus;
  }

  /**
   * @param changeId the change event id: with the template it makes the dedup key, so a
   *                 redelivered change does not mail twice
   */
  public Future<Void> send(String template, String recipient, JsonObject variables, String changeId) {
    return sendOnce(template, recipient, variables, changeId + ":" + template);
  }

  /** Sends under a dedup key of the caller's (an invite mailed once per invite key, whatever the change). */
  public Future<Void> sendOnce(String template, String recipient, JsonObject variables, String dedupKey) {
    JsonObject request = new JsonObject()
        .put("template", template)
        .put("recipient", recipient)
        .put("variables", variables)
        .put("dedupKey", dedupKey);
    return Actions.<JsonObject>request(bus, MailAddresses.ADDRESS, MailAddresses.SEND, request).map(reply -> {
      if (reply == null || !reply.getBoolean("sent", false)) {
        log.info("mail {} (dedup key {}) not sent: {}", template, dedupKey, reply == null ? "no reply" : reply.getString("reason"));
      }
      return null;
    });
  }
}
