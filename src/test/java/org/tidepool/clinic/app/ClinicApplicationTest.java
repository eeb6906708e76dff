package org.tidepool.clinic.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.migration.MigrationAddresses;
import org.tidepool.clinic.operations.Catalogue;

/** Start-up: a bad setting stops it with a message naming the setting; a good one becomes ready. */
class ClinicApplicationTest {
  @TempDir
  Path dataDir;

  Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aMalformedPortStopsStartUpNamingTheSetting() {
    ConfigException failure = startFailure(base().put("HTTP_PORT", "eighty"));
    assertTrue(failure.getMessage().contains("HTTP_PORT"), failure.getMessage());
  }

  @Test
  void anUnknownRoleStopsStartUpNamingIt() {
    ConfigException failure = startFailure(base().put("ROLES", "api,printer"));
    assertTrue(failure.getMessage().contains("printer"), failure.getMessage());
  }

  @Test
  void aMissingDatabaseNameStopsStartUpNamingTheSetting() {
    ConfigException failure = startFailure(base().put("TIDEPOOL_CLINIC_DATABASE_NAME", ""));
    assertTrue(failure.getMessage().contains("TIDEPOOL_CLINIC_DATABASE_NAME"), failure.getMessage());
  }

  @Test
  void theApiAloneWithTheStoreAnswersReadyAndStopsCleanly() throws Exception {
    ClinicApplication app = ClinicApplication.start(vertx, base().put("ROLES", "store,api")).await(1, TimeUnit.MINUTES);
    WebClient client = WebClient.create(vertx);
    assertEquals(200, client.get(app.httpPort(), "127.0.0.1", "/ready").send().await().statusCode());
    app.stop().await(1, TimeUnit.MINUTES);
    assertEquals(null, app.embeddedKafka(), "no Kafka is started without a cdc role");
  }

  @Test
  void theMigrationRoleAloneRunsOnlyTheMigrationVerticle() throws Exception {
    ClinicApplication app = ClinicApplication.start(vertx, base().put("ROLES", "migration")).await(1, TimeUnit.MINUTES);
    WebClient client = WebClient.create(vertx);
    assertEquals(200, client.get(app.httpPort(), "127.0.0.1", "/ready").send().await().statusCode(), "the management server");
    ReplyException refused = assertThrows(ReplyException.class, () -> Actions.request(vertx.eventBus(), MigrationAddresses.ADDRESS,
        MigrationAddresses.RUN, new JsonObject()).await(10, TimeUnit.SECONDS));
    assertEquals(400, refused.failureCode(), "the migration verticle answers: " + refused.getMessage());
    ReplyException noStore = assertThrows(ReplyException.class, () -> Actions.request(vertx.eventBus(), Catalogue.STORE_ADDRESS,
        Catalogue.READY, new JsonObject()).await(10, TimeUnit.SECONDS));
    assertEquals(ReplyFailure.NO_HANDLERS, noStore.failureType(), "no store in this process");
    assertEquals(null, app.embeddedKafka(), "no Kafka is started for the migration role");
    app.stop().await(1, TimeUnit.MINUTES);
  }

  private JsonObject base() {
    return new JsonObject().put("DATA_DIR", dataDir.toString()).put("HTTP_HOST", "127.0.0.1").put("HTTP_PORT", 0)
        .put("HTTP_INSTANCES", 1).put("EMBEDDED_MONGO_PORT", 0).put("EMBEDDED_KAFKA_PORT", 0)
        .put("EMBEDDED_SMTP_PORT", 0).put("EMBEDDED_IMAP_PORT", 0);
  }

  private ConfigException startFailure(JsonObject config) {
    try {
      ClinicApplication.start(vertx, config).await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = e;
      while (!(cause instanceof ConfigException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return assertInstanceOf(ConfigException.class, cause);
    }
    throw new AssertionError("start-up should have failed");
  }
}
