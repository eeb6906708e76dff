package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.tidepool.clinic.config.Settings;

/**
 * The HS256 key of jwt mode: {@code JWT_SECRET} when set, else a random key generated on first
 * run and kept in {@code DATA_DIR/jwt-secret}, readable by its owner only.
 */
final class JwtSecret {
  static final String SECRET_KEY = "JWT_SECRET";
  static final String DATA_DIR_KEY = "DATA_DIR";
  static final String FILE_NAME = "jwt-secret";

  private JwtSecret() {}

  static Future<String> load(Vertx vertx, Settings settings) {
    String configured = settings.string(SECRET_KEY);
    if (!configured.isEmpty()) {
      return Future.succeededFuture(configured);
    }
    Path file = Path.of(settings.required(DATA_DIR_KEY), FILE_NAME);
    return vertx.executeBlocking(() -> readOrCreate(file), false);
  }

  /**
   * Several api instances may start together on a fresh DATA_DIR: each writes a complete
   * candidate file and links it into place, which fails when another already has, so all of
   * them end up reading the one key that won.
   */
  private static String readOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Path candidate = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(candidate, newSecret(), StandardCharsets.UTF_8);
        Files.createLink(file, candidate);
      } catch (FileAlreadyExistsException anotherInstanceWon) {
        // keep theirs
      } finally {
        Files.deleteIfExists(candidate);
      }
    }
    String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (secret.isEmpty()) {
      throw new IOException(file + " is empty; delete it to generate a new key, or set " + SECRET_KEY);
    }
    return secret;
  }

  private static String newSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }
}
