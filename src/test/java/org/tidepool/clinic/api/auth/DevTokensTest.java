package org.tidepool.clinic.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.testing.PackagedDefaults;

/** Tokens minted for the CLI are the ones jwt mode accepts, across restarts. */
@ExtendWith(VertxExtension.class)
class DevTokensTest {
  static final UserDirectory NO_USERS = new UserDirectory() {
    public io.vertx.core.Future<User> find(String userId) { return io.vertx.core.Future.succeededFuture(null); }
    public io.vertx.core.Future<Void> remember(User user) { return io.vertx.core.Future.succeededFuture(); }
  };

  static MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }

  @Test
  void aGeneratedKeySurvivesARestart(Vertx vertx, @TempDir Path dataDir) {
    Settings settings = PackagedDefaults.settings(new JsonObject().put("DATA_DIR", dataDir.toString()));
    String token = DevTokens.load(vertx, settings).await().user("abcdef0123", "ann@example.org", "Ann");
    DevTokens afterRestart = DevTokens.load(vertx, settings).await();
    Caller caller = new JwtAuthenticator(afterRestart.provider(), NO_USERS).authenticate(bearer(token)).await();
    assertEquals(Caller.user("abcdef0123"), caller);
  }

  @Test
  void aGeneratedKeyIsReadableByItsOwnerOnly(Vertx vertx, @TempDir Path dataDir) throws Exception {
    DevTokens.load(vertx, PackagedDefaults.settings(new JsonObject().put("DATA_DIR", dataDir.toString()))).await();
    Path key = dataDir.resolve("jwt-secret");
    assertTrue(Files.size(key) >= 32);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
  }

  @Test
  void instancesStartingTogetherAgreeOnOneKey(Vertx vertx, @TempDir Path dataDir) {
    Settings settings = PackagedDefaults.settings(new JsonObject().put("DATA_DIR", dataDir.resolve("fresh").toString()));
    java.util.List<io.vertx.core.Future<DevTokens>> loads = java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> DevTokens.load(vertx, settings)).toList();
    io.vertx.core.Future.all(loads).await();
    String token = loads.get(0).result().user("abcdef0123", null, null);
    for (io.vertx.core.Future<DevTokens> load : loads) {
      assertEquals(Caller.user("abcdef0123"),
          new JwtAuthenticator(load.result().provider(), NO_USERS).authenticate(bearer(token)).await());
    }
  }

  @Test
  void aConfiguredKeyIsUsedAndNothingIsWritten(Vertx vertx, @TempDir Path dataDir) {
    Settings settings = PackagedDefaults.settings(new JsonObject().put("DATA_DIR", dataDir.toString()).put("JWT_SECRET", "configured key"));
    String server = DevTokens.load(vertx, settings).await().server();
    Caller caller = new JwtAuthenticator(TestTokens.withSecret(vertx, "configured key").provider(), NO_USERS)
        .authenticate(bearer(server)).await();
    assertEquals(true, caller.server());
    assertFalse(Files.exists(dataDir.resolve("jwt-secret")));
  }

  @Test
  void aUserTokenWithoutSubjectIsRejected(Vertx vertx) {
    DevTokens tokens = TestTokens.withSecret(vertx, "k");
    String noSubject = tokens.sign(new JsonObject().put("email", "x@example.org"));
    ServiceError error = assertThrows(ServiceError.class,
        () -> new JwtAuthenticator(tokens.provider(), NO_USERS).authenticate(bearer(noSubject)).await());
    assertEquals(401, error.code());
  }
}
