package org.tidepool.clinic.testing;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.Vertx;
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
import java.util.stream.Stream;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.app.ClinicApplication;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedKafka;

/**
 * The whole service started for a test class: every verticle, the embedded MongoDB (H2 file),
 * Kafka broker and SMTP server, on a temporary DATA_DIR and free ports. Start it in
 * {@code @BeforeAll} and close it in {@code @AfterAll}.
 */
public final class TestStack implements AutoCloseable {
  public static final String JWT_SECRET = "test-secret-for-the-clinic-service-0123456789";

  private final Vertx vertx;
  private final ClinicApplication app;
  private final Path dataDir;
  private final WebClient http;
  private final DevTokens tokens;
  private MongoClient clinicDb;

  private TestStack(Vertx vertx, ClinicApplication app, Path dataDir, DevTokens tokens) {
    this.vertx = vertx;
    this.app = app;
    this.dataDir = dataDir;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.httpPort()));
    this.tokens = tokens;
  }

  public static TestStack start() {
    return start(new JsonObject());
  }

  /** Starts with test defaults, then the given overrides (any key of conf/config.yaml). */
  public static TestStack start(JsonObject overrides) {
    Vertx vertx = Vertx.vertx();
    try {
      Path dataDir = Files.createTempDirectory("clinic-test-");
      JsonObject config = new JsonObject()
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
          .put("CDC_RETRY_MAX_DELAY_MS", 100)
          .mergeIn(overrides);
      ClinicApplication app = ClinicApplication.start(vertx, config).await(2, TimeUnit.MINUTES);
      DevTokens tokens = DevTokens.load(vertx, new Settings(app.config())).await(1, TimeUnit.MINUTES);
      return new TestStack(vertx, app, dataDir, tokens);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the test stack did not start", e);
    }
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

  /** The embedded SMTP server, to read what the service sent. */
  public GreenMail greenMail() {
    return app.embeddedSmtp().greenMail();
  }

  public EmbeddedKafka kafka() {
    return app.embeddedKafka();
  }

  /** A client on the service's clinic database. */
  public synchronized MongoClient clinicDb() {
    if (clinicDb == null) {
      clinicDb = MongoClient.create(vertx, app.config().getJsonObject("mongo"));
    }
    return clinicDb;
  }

  /** A client on another database of the same server (e.g. gatekeeper). */
  public MongoClient database(String name) {
    return MongoClient.create(vertx, app.config().getJsonObject("mongo").copy().put("db_name", name));
  }

  @Override
  public void close() {
    try {
      http.close();
      app.stop().eventually(vertx::close).await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("the test stack did not stop cleanly", e);
    } finally {
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
