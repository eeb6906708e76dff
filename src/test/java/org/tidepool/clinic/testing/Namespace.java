package org.tidepool.clinic.testing;

import io.vertx.core.json.JsonObject;

/**
 * What keeps one test class's data apart on servers that every class shares: its own clinic,
 * gatekeeper and platform databases, topic prefix and consumer group, and the sender address
 * its mails carry (the mailbox of the class reads only those).
 */
public record Namespace(String id) {

  public Namespace {
    if (!id.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("a namespace id is lower-case letters and digits, got " + id);
    }
  }

  public String clinicDatabase() {
    return id + "_clinic";
  }

  public String gatekeeperDatabase() {
    return id + "_gatekeeper";
  }

  public String platformDatabase() {
    return id + "_platform";
  }

  public String topicPrefix() {
    return id + ".";
  }

  public String consumerGroup() {
    return id + ".clinic-worker";
  }

  /** The address the service sends from, {@code SMTP_FROM} without the display name. */
  public String senderAddress() {
    return "noreply+" + id + "@example.test";
  }

  /** The settings (keys of conf/config.yaml) that put a service into this namespace. */
  public JsonObject config() {
    return new JsonObject()
        .put("TIDEPOOL_CLINIC_DATABASE_NAME", clinicDatabase())
        .put("GATEKEEPER_DATABASE_NAME", gatekeeperDatabase())
        .put("PLATFORM_DATABASE_NAME", platformDatabase())
        .put("KAFKA_TOPIC_PREFIX", topicPrefix())
        .put("KAFKA_CONSUMER_GROUP", consumerGroup())
        .put("SMTP_FROM", "Tidepool Test <" + senderAddress() + ">");
  }
}
