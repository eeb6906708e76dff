package org.tidepool.clinic.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.PackagedDefaults;

/** The platform factory picks adapters by configuration. */
@ExtendWith(VertxExtension.class)
class PlatformTest {

  @Test
  void embeddedModeKeepsUsersInThePlatformDatabase(Vertx vertx) {
    MongoServer server = new MongoServer(new MemoryBackend());
    int port = server.bind().getPort();
    MongoClient mongo = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + port).put("db_name", "platform"));
    try {
      Platform platform = Platform.create(vertx, PackagedDefaults.settings(new JsonObject()), mongo);
      assertTrue(platform.shoreline().isEmpty());
      platform.users().remember(new User("abcdef0123", "ann@example.org", "Ann")).await();
      assertEquals(new User("abcdef0123", "ann@example.org", "Ann"), platform.users().find("abcdef0123").await());
    } finally {
      mongo.close().await();
      server.shutdownNow();
    }
  }

  @Test
  void withoutATokenEndpointServiceAccountsAreNotConfigured(Vertx vertx) {
    Platform platform = Platform.create(vertx, PackagedDefaults.settings(new JsonObject()
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", "http://127.0.0.1:9").put("TIDEPOOL_SERVER_TOKEN", "s")), null);
    ServiceError error = assertThrows(ServiceError.class, () -> platform.serviceAccounts().resolveUserId("a", "b").await());
    assertEquals(422, error.code());
    assertEquals("service accounts are not configured", error.getMessage());
  }

  @Test
  void tidepoolModeUsesShorelineAndTheTokenEndpoint(Vertx vertx) {
    Platform platform = Platform.create(vertx, PackagedDefaults.settings(new JsonObject()
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", "http://127.0.0.1:9").put("TIDEPOOL_SERVER_TOKEN", "s")
        .put("TIDEPOOL_AUTH_SERVICE_TOKEN_ENDPOINT", "http://127.0.0.1:9/token")), null);
    assertInstanceOf(TidepoolUserDirectory.class, platform.users());
    assertInstanceOf(OAuthServiceAccounts.class, platform.serviceAccounts());
    assertTrue(platform.shoreline().isPresent());
  }

  @Test
  void aShorelineThatDoesNotAnswerFailsTheCheckAsUnavailableWithinTheTimeout(Vertx vertx) {
    NetServer silent = vertx.createNetServer().connectHandler(connection -> { }).listen(0, "127.0.0.1").await();
    try {
      Platform platform = Platform.create(vertx, PackagedDefaults.settings(new JsonObject()
          .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", "http://127.0.0.1:" + silent.actualPort()).put("TIDEPOOL_SERVER_TOKEN", "s")
          .put("PLATFORM_REQUEST_TIMEOUT_MS", 200)), null);
      ServiceError error = assertThrows(ServiceError.class,
          () -> platform.shoreline().orElseThrow().checkToken("user-token").await(10, TimeUnit.SECONDS));
      assertEquals(503, error.code());
      platform.close();
    } finally {
      silent.close().await();
    }
  }

  @Test
  void aMalformedRequestTimeoutStopsStartUpNamingIt(Vertx vertx) {
    ConfigException error = assertThrows(ConfigException.class, () -> Platform.create(vertx,
        PackagedDefaults.settings(new JsonObject().put("PLATFORM_REQUEST_TIMEOUT_MS", "soon")), null));
    assertTrue(error.getMessage().contains("PLATFORM_REQUEST_TIMEOUT_MS"));
  }

  @Test
  void tidepoolModeNeedsTheServerSecret(Vertx vertx) {
    ConfigException error = assertThrows(ConfigException.class, () -> Platform.create(vertx,
        PackagedDefaults.settings(new JsonObject().put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", "http://127.0.0.1:9")), null));
    assertTrue(error.getMessage().contains("TIDEPOOL_SERVER_TOKEN"));
  }
}
