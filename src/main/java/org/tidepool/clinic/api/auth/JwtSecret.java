package org.tidepool.clinic.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
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
  private static final String OWNER_ONLY = "rw-------";

  private JwtSecret() {}

  static Future<String> load(Vertx vertx, Settings settings) {
    String configured = settings.string(SECRET_KEY);
    if (!configured.isEmpty()) {
      return Future.succeededFuture(configured);
    }
    String dataDir = settings.required(DATA_DIR_KEY);
    String file = Path.of(dataDir, FILE_NAME).toString();
    FileSystem fs = vertx.fileSystem();
    return fs.exists(file).compose(exists -> exists
        ? fs.readFile(file).map(content -> content.toString().trim())
        : fs.mkdirs(dataDir).compose(made -> generate(fs, file)));
  }

  private static Future<String> generate(FileSystem fs, String file) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    return fs.createFile(file, OWNER_ONLY)
        .compose(created -> fs.writeFile(file, Buffer.buffer(secret)))
        .map(written -> secret);
  }
}
