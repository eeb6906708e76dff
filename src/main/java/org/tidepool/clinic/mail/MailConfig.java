package org.tidepool.clinic.mail;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.concurrent.TimeUnit;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.KafkaClients;

/**
 * Settings of the mail verticle. {@code SMTP_HOST}/{@code SMTP_PORT} point at the embedded
 * GreenMail server unless a real one is configured; {@code mongo} is the clinic database client
 * configuration resolved by the application.
 */
public record MailConfig(String smtpHost, int smtpPort, String smtpUsername, String smtpPassword,
                         StartTLSOptions startTls, int smtpTimeoutMs, String from, String webUrl, String assetUrl,
                         JsonObject mongo, MailDelivery.Kind delivery, String kafkaBrokers, String mailerTopic,
                         String cloudEventsSource) {

  /** {@code smtp} or {@code kafka} (the mailer topic). */
  public static final String DELIVERY_KEY = "MAIL_DELIVERY";

  /** Whether mails go over SMTP (else to the mailer topic, no SMTP server needed). */
  public static boolean sendsOverSmtp(Settings settings) {
    return settings.oneOf(DELIVERY_KEY, MailDelivery.Kind.class) == MailDelivery.Kind.SMTP;
  }

  /**
   * Keep it below the event-bus request timeout (30 s): a silent server is then answered with 503
   * before the caller gives up, and the caller's retry is not queued behind a send that never ends.
   */
  static final String SMTP_TIMEOUT_KEY = "SMTP_TIMEOUT_MS";

  // vertx-mail-client would try XOAUTH2 first, sending the password as an OAuth token
  private static final String PASSWORD_AUTH_METHODS = "NTLM DIGEST-MD5 CRAM-SHA256 CRAM-SHA1 CRAM-MD5 LOGIN PLAIN";

  public static MailConfig from(Settings settings) {
    String username = settings.string("SMTP_USERNAME");
    String password = settings.string("SMTP_PASSWORD");
    if (!username.isEmpty() && password.isEmpty()) {
      throw new ConfigException("SMTP_PASSWORD is required when SMTP_USERNAME is set");
    }
    JsonObject mongo = settings.raw().getJsonObject("mongo");
    if (mongo == null) {
      throw new ConfigException("mongo (the clinic database client configuration) is required but not set");
    }
    MailDelivery.Kind delivery = settings.oneOf(DELIVERY_KEY, MailDelivery.Kind.class);
    boolean smtp = delivery == MailDelivery.Kind.SMTP;
    String prefix = KafkaClients.topicPrefix(settings);
    String group = settings.string("KAFKA_CONSUMER_GROUP");
    return new MailConfig(
        smtp ? settings.required("SMTP_HOST") : settings.string("SMTP_HOST"),
        settings.port("SMTP_PORT"),
        username,
        password,
        settings.oneOf("SMTP_STARTTLS", StartTLSOptions.class),
        smtpTimeoutMs(settings),
        sender(settings.required("SMTP_FROM")),
        withoutTrailingSlash(settings.required("TIDEPOOL_WEBAPP_URL")),
        withoutTrailingSlash(settings.required("TIDEPOOL_ASSET_URL")),
        mongo,
        delivery,
        smtp ? settings.string("KAFKA_BROKERS") : settings.required("KAFKA_BROKERS"),
        dashed(prefix) + "emails",
        group.isEmpty() ? prefix + "clinic-worker" : group);
  }

  /** Tidepool-managed topics use a dash where the CDC prefix ends with a dot. */
  private static String dashed(String prefix) {
    return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) + "-" : prefix;
  }

  /** The vertx-mail-client configuration: log in only when a username is configured. */
  /**
   * SMTP connections (so sends) at once. A crash can cut this many sends between the server's
   * acceptance and the mail-log record; those mails go again with the same Message-ID.
   */
  public static final int MAX_CONCURRENT_SENDS = 8;

  public io.vertx.ext.mail.MailConfig clientConfig() {
    var client = new io.vertx.ext.mail.MailConfig()
        .setHostname(smtpHost)
        .setPort(smtpPort)
        .setStarttls(startTls)
        .setConnectTimeout(smtpTimeoutMs)
        // a connection on which the server says nothing for this long is closed: the send fails
        .setIdleTimeout(smtpTimeoutMs)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setKeepAlive(true)
        .setMaxPoolSize(MAX_CONCURRENT_SENDS);
    if (smtpUsername.isEmpty()) {
      return client.setLogin(LoginOption.DISABLED);
    }
    return client.setLogin(LoginOption.REQUIRED).setUsername(smtpUsername).setPassword(smtpPassword)
        .setAuthMethods(PASSWORD_AUTH_METHODS);
  }

  private static int smtpTimeoutMs(Settings settings) {
    int timeout = settings.integer(SMTP_TIMEOUT_KEY);
    if (timeout < 1) {
      throw new ConfigException(SMTP_TIMEOUT_KEY + " must be at least 1, got " + timeout);
    }
    return timeout;
  }

  private static String sender(String from) {
    try {
      new InternetAddress(from, true);
      return from;
    } catch (AddressException e) {
      throw new ConfigException("SMTP_FROM must be a mail address like 'Name <address@domain>', got '" + from + "'");
    }
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
