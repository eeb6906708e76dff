package org.tidepool.clinic.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.app.ClinicApplication;
import org.tidepool.clinic.ops.Metrics;
import org.tidepool.clinic.config.ConfigLoader;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedKafka;
import org.tidepool.clinic.infra.EmbeddedSmtp;

/**
 * The whole service (the verticles of {@code ROLES}, in a Vert.x of its own) for a test class,
 * on a temporary DATA_DIR and a free HTTP port, with jwt auth.
 *
 * <p>Usually it runs on the servers every class of the JVM shares: add
 * {@code @ExtendWith(TestStackExtension.class)} and start it from a {@link TestStacks} parameter
 * of {@code @BeforeAll}; it has databases, topics and a mailbox of its own and is closed after the
 * class. {@link #start(JsonObject)} instead starts embedded servers for this stack alone (for a
 * class that stops one of them, or outside JUnit such as the benchmark); close that one yourself.
 */
public final class TestStack implements AutoCloseable {
  public static final String JWT_SECRET = "test-secret-for-the-clinic-service-0123456789";
  private static final AtomicInteger OWN_STACKS = new AtomicInteger();

  private final Vertx vertx;
  private final ClinicApplication app;
  private final Path dataDir;
  private final WebClient http;
  private final DevTokens tokens;
  private final Namespace namespace;
  private final Mailbox mailbox;
  private MongoClient clinicDb;
  private MongoClient gatekeeperDb;
  private MongoClient platformDb;
  private boolean closed;

  private TestStack(Vertx vertx, ClinicApplication app, Path dataDir, DevTokens tokens, Namespace namespace, Mailbox mailbox) {
    this.vertx = vertx;
    this.app = app;
    this.dataDir = dataDir;
    // a request the service never answers fails after 30 s instead of holding the test
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.httpPort())
        .setIdleTimeout(30).setConnectTimeout(10_000));
    this.tokens = tokens;
    this.namespace = namespace;
    this.mailbox = mailbox;
  }

  /** The service on embedded servers of its own. */
  public static TestStack start() {
    return start(new JsonObject());
  }

  /** The service on embedded servers of its own, with test defaults, then the overrides (any key of conf/config.yaml). */
  public static TestStack start(JsonObject overrides) {
    return start(null, new Namespace("own" + OWN_STACKS.incrementAndGet()), overrides);
  }

  /** On the shared servers where the configuration points at none (see {@link SharedServers#supply}). */
  static TestStack start(SharedServers shared, Namespace namespace, JsonObject overrides) {
    // metrics cost a little on every request: only the classes that read them ask for them
    Vertx vertx = Boolean.TRUE.equals(overrides.getValue("METRICS_ENABLED"))
        ? Metrics.builder(new VertxOptions(), true).build() : Vertx.vertx();
    try {
      Path dataDir = Files.createTempDirectory("clinic-test-");
      JsonObject requested = testDefaults(dataDir).mergeIn(namespace.config()).mergeIn(overrides);
      Settings settings = new Settings(ConfigLoader.load(vertx, requested).await(1, TimeUnit.MINUTES));
      EmbeddedSmtp sharedSmtp = null;
      if (shared != null) {
        SharedServers.Supplied supplied = shared.supply(settings);
        settings = supplied.settings();
        sharedSmtp = supplied.smtp();
      }
      ClinicApplication app = ClinicApplication.start(vertx, settings).await(2, TimeUnit.MINUTES);
      DevTokens tokens = DevTokens.load(vertx, new Settings(app.config())).await(1, TimeUnit.MINUTES);
      EmbeddedSmtp smtp = app.embeddedSmtp() != null ? app.embeddedSmtp() : sharedSmtp;
      Mailbox mailbox = smtp == null ? null : new Mailbox(vertx, smtp.greenMail(), namespace.senderAddress());
      return new TestStack(vertx, app, dataDir, tokens, namespace, mailbox);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the test stack did not start", e);
    }
  }

  private static JsonObject testDefaults(Path dataDir) {
    return new JsonObject()
        .put("DATA_DIR", dataDir.toString())
        .put("HTTP_HOST", "127.0.0.1")
        .put("HTTP_PORT", 0)
        .put("HTTP_INSTANCES", 1)
        .put("EMBEDDED_MONGO_PORT", 0)
        .put("EMBEDDED_KAFKA_PORT", 0)
        .put("EMBEDDED_SMTP_PORT", 0)
        .put("EMBEDDED_IMAP_PORT", 0)
        .put("JWT_SECRET", JWT_SECRET)
        .put("CDC_RETRY_INITIAL_DELAY_MS", 20)
        .put("CDC_RETRY_MAX_DELAY_MS", 100);
  }

  public Vertx vertx() {
    return vertx;
  }

  public ClinicApplication app() {
    return app;
  }

  /** A client for the service's HTTP port. */
  public WebClient http() {
    return http;
  }

  public int httpPort() {
    return app.httpPort();
  }

  /** A user token (jwt mode) carrying the user's email and name, as the {@code token} command mints. */
  public String userToken(String userId, String email, String name) {
    return tokens.user(userId, email, name);
  }

  public String serverToken() {
    return tokens.server();
  }

  public Namespace namespace() {
    return namespace;
  }

  /** The mails this service sent (and no other stack's), when it sends to an embedded or the shared SMTP server. */
  public Mailbox mailbox() {
    if (mailbox == null) {
      throw new IllegalStateException("this stack sends no mail to a server the test can read (mail role, SMTP_HOST)");
    }
    return mailbox;
  }

  /** The bootstrap servers the service publishes to and consumes from. */
  public String kafkaBrokers() {
    return app.config().getString("KAFKA_BROKERS");
  }

  /** The broker this stack started for itself (see {@link #start(JsonObject)}), to stop and restart it. */
  public EmbeddedKafka kafka() {
    if (app.embeddedKafka() == null) {
      throw new IllegalStateException("this stack has no Kafka broker of its own: a shared one must not be stopped");
    }
    return app.embeddedKafka();
  }

  /** A client on the service's clinic database. */
  public synchronized MongoClient clinicDb() {
    if (clinicDb == null) {
      clinicDb = MongoClient.create(vertx, app.config().getJsonObject("mongo"));
    }
    return clinicDb;
  }

  /** A client on the service's gatekeeper database ({@code clinician_permissions}). */
  public synchronized MongoClient gatekeeperDb() {
    if (gatekeeperDb == null) {
      gatekeeperDb = database(namespaceSetting("GATEKEEPER_DATABASE_NAME"));
    }
    return gatekeeperDb;
  }

  /** A client on the database of the embedded platform adapters (the user directory). */
  public synchronized MongoClient platformDb() {
    if (platformDb == null) {
      platformDb = database(namespaceSetting("PLATFORM_DATABASE_NAME"));
    }
    return platformDb;
  }

  private String namespaceSetting(String key) {
    return new Settings(app.config()).required(key);
  }

  private MongoClient database(String name) {
    return MongoClient.create(vertx, app.config().getJsonObject("mongo").copy().put("db_name", name));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      http.close();
      app.stop().eventually(vertx::close).await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("the test stack did not stop cleanly", e);
    } finally {
      deleteRecursively(dataDir);
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
