package org.tidepool.clinic.app;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.infra.EmbeddedMongo;
import org.tidepool.clinic.infra.EmbeddedSmtp;
import org.tidepool.clinic.infra.KafkaClients;
import org.tidepool.clinic.infra.MongoSettings;
import org.tidepool.clinic.mail.MailConfig;
import org.tidepool.clinic.mail.MailboxDump;

/**
 * Starts the servers that the configuration does not point elsewhere, and writes where they
 * listen back into the configuration the verticles read, and checks that a configured Kafka takes
 * this service's credentials. Blocking: runs on a worker thread.
 */
final class EmbeddedInfrastructure implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private EmbeddedMongo mongo;
  private EmbeddedKafka kafka;
  private EmbeddedSmtp smtp;
  private MailboxDump mailbox;

  /** Returns the configuration with {@code mongo}, {@code KAFKA_BROKERS} and {@code SMTP_*} resolved. */
  JsonObject startFor(Settings settings, Set<Role> roles) {
    JsonObject resolved = settings.raw().copy();
    Path dataDir = Path.of(settings.required("DATA_DIR")).toAbsolutePath();

    String mongoUri;
    if (MongoSettings.configured(settings)) {
      mongoUri = MongoSettings.connectionString(settings);
    } else {
      boolean fsync = settings.bool("EMBEDDED_MONGO_FSYNC");
      mongo = EmbeddedMongo.onDisk(dataDir.resolve("mongo"), settings.port("EMBEDDED_MONGO_PORT"), fsync,
          settings.integer("EMBEDDED_MONGO_CACHE_MB"));
      mongoUri = mongo.connectionString();
      LOG.info("embedded MongoDB at {} (data in {}; each write is in the file{} before it is acknowledged)",
          mongoUri, dataDir.resolve("mongo"), fsync ? " and forced to the disk" : "");
    }
    resolved.put("mongo", MongoSettings.clientConfig(mongoUri, settings.required("TIDEPOOL_CLINIC_DATABASE_NAME")));

    boolean smtpMail = MailConfig.sendsOverSmtp(settings);
    boolean needsKafka = roles.contains(Role.CDC_RELAY) || roles.contains(Role.CDC_CONSUMER)
        || (roles.contains(Role.MAIL) && !smtpMail);
    if (needsKafka && settings.string("KAFKA_BROKERS").isEmpty()) {
      if (KafkaClients.secured(settings)) {
        throw new ConfigException("KAFKA_REQUIRE_SSL and KAFKA_USERNAME need KAFKA_BROKERS: the embedded broker is plaintext only");
      }
      kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), settings.port("EMBEDDED_KAFKA_PORT"));
      resolved.put("KAFKA_BROKERS", kafka.bootstrapServers());
      LOG.info("embedded Kafka at {} (data in {})", kafka.bootstrapServers(), dataDir.resolve("kafka"));
    }

    if (needsKafka) {
      checkKafka(KafkaClients.from(new Settings(resolved)));
    }

    if (roles.contains(Role.MAIL) && smtpMail && settings.string("SMTP_HOST").isEmpty()) {
      smtp = EmbeddedSmtp.start(settings.port("EMBEDDED_SMTP_PORT"), settings.port("EMBEDDED_IMAP_PORT"));
      resolved.put("SMTP_HOST", "127.0.0.1").put("SMTP_PORT", smtp.smtpPort()).put("SMTP_STARTTLS", "DISABLED")
          .put("SMTP_USERNAME", "").put("SMTP_PASSWORD", "");
      mailbox = MailboxDump.attach(smtp.greenMail(), dataDir.resolve("mail"));
      LOG.info("embedded SMTP at 127.0.0.1:{}, IMAP at 127.0.0.1:{}; received mail is written to {}",
          smtp.smtpPort(), smtp.imapPort(), mailbox.directory());
    }
    return resolved;
  }

  /** Refused credentials or TLS stop start-up; a broker that is only away is waited for by the relay and consumer. */
  private static void checkKafka(KafkaClients clients) {
    String unanswered = clients.check();
    if (unanswered.isEmpty()) {
      LOG.info("{} answered", clients.describe());
    } else {
      LOG.error("{}; starting anyway, the relay and the consumer retry until it answers", unanswered);
    }
  }

  EmbeddedKafka kafka() {
    return kafka;
  }

  EmbeddedSmtp smtp() {
    return smtp;
  }

  @Override
  public void close() {
    if (kafka != null) {
      kafka.close();
    }
    if (mailbox != null) {
      mailbox.detach();
    }
    if (smtp != null) {
      smtp.close();
    }
    if (mongo != null) {
      mongo.close();
    }
  }
}
