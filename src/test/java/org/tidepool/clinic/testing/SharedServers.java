package org.tidepool.clinic.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.tidepool.clinic.app.Role;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.infra.EmbeddedMongo;
import org.tidepool.clinic.infra.EmbeddedSmtp;
import org.tidepool.clinic.infra.MongoSettings;

/**
 * The embedded MongoDB (in memory: the H2 files of the service's own embedded server are tested
 * by the classes that restart it), Kafka broker and SMTP server that all test classes of one JVM
 * share, each started when a class first needs it. {@link TestStackExtension} keeps the one
 * instance in JUnit's root store, which closes it after the last class. Classes stay apart by
 * {@link Namespace}; a class that stops a server starts its own and configures its address.
 */
public final class SharedServers implements AutoCloseable {
  private final Path dataDir;
  private final AtomicInteger namespaces = new AtomicInteger();
  private EmbeddedMongo mongo;
  private EmbeddedKafka kafka;
  private EmbeddedSmtp smtp;

  SharedServers() {
    try {
      dataDir = Files.createTempDirectory("clinic-shared-servers-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A namespace no other class of this JVM has, named after its owner for readable logs. */
  public Namespace newNamespace(Class<?> owner) {
    String name = owner.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return new Namespace(name.substring(0, Math.min(name.length(), 40)) + namespaces.incrementAndGet());
  }

  /** {@code host:port} of the MongoDB server, as {@code TIDEPOOL_STORE_ADDRESSES} takes it. */
  public synchronized String mongoAddress() {
    if (mongo == null) {
      mongo = EmbeddedMongo.inMemory();
    }
    return "127.0.0.1:" + mongo.port();
  }

  public synchronized String kafkaBrokers() {
    if (kafka == null) {
      kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    }
    return kafka.bootstrapServers();
  }

  public synchronized EmbeddedSmtp smtp() {
    if (smtp == null) {
      smtp = EmbeddedSmtp.start(0, 0);
    }
    return smtp;
  }

  /** A configuration with shared servers filled in; {@code smtp} is the SMTP server when it is one of them. */
  record Supplied(Settings settings, EmbeddedSmtp smtp) {}

  /**
   * The configuration with these servers filled in wherever it points at none, as far as its
   * {@code ROLES} need them (ClinicApplication then starts no embedded server of its own).
   */
  Supplied supply(Settings settings) {
    JsonObject config = settings.raw().copy();
    if (!MongoSettings.configured(settings)) {
      config.put("TIDEPOOL_STORE_SCHEME", "mongodb").put("TIDEPOOL_STORE_ADDRESSES", mongoAddress())
          .put("TIDEPOOL_STORE_USERNAME", "").put("TIDEPOOL_STORE_PASSWORD", "")
          .put("TIDEPOOL_STORE_TLS", false).put("TIDEPOOL_STORE_OPT_PARAMS", "");
    }
    Set<Role> roles = Set.copyOf(settings.list("ROLES").stream().map(Role::of).toList());
    boolean needsKafka = roles.contains(Role.CDC_RELAY) || roles.contains(Role.CDC_CONSUMER) || roles.contains(Role.MAIL);
    if (needsKafka && settings.string("KAFKA_BROKERS").isEmpty()) {
      config.put("KAFKA_BROKERS", kafkaBrokers());
    }
    EmbeddedSmtp suppliedSmtp = null;
    if (roles.contains(Role.MAIL) && settings.string("SMTP_HOST").isEmpty()) {
      suppliedSmtp = smtp();
      config.put("SMTP_HOST", "127.0.0.1").put("SMTP_PORT", suppliedSmtp.smtpPort()).put("SMTP_STARTTLS", "DISABLED")
          .put("SMTP_USERNAME", "").put("SMTP_PASSWORD", "");
    }
    return new Supplied(new Settings(config), suppliedSmtp);
  }

  @Override
  public synchronized void close() {
    try (EmbeddedMongo closingMongo = mongo; EmbeddedKafka closingKafka = kafka; EmbeddedSmtp closingSmtp = smtp) {
      mongo = null;
      kafka = null;
      smtp = null;
    } finally {
      TestStack.deleteRecursively(dataDir);
    }
  }
}
