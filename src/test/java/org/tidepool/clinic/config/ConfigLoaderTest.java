package org.tidepool.clinic.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layers of the configuration, as an operator meets them: the packaged defaults, a
 * {@code conf/config.yaml} in the working directory, the environment. Each case runs in a JVM
 * of its own, started in a working directory of the test's choosing.
 */
class ConfigLoaderTest {

  /** Prints the merged configuration as one JSON line. */
  public static final class PrintMergedConfig {
    public static void main(String[] args) throws Exception {
      Vertx vertx = Vertx.vertx();
      try {
        System.out.println(ConfigLoader.load(vertx, new JsonObject()).await(1, TimeUnit.MINUTES).encode());
      } finally {
        vertx.close();
      }
    }
  }

  static JsonObject mergedConfigIn(Path workingDir, String... environment) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        PrintMergedConfig.class.getName())
        .directory(workingDir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    process.environment().keySet().removeIf(name -> name.equals("CONFIG_FILE") || name.startsWith("HTTP_") || name.equals("ROLES"));
    for (int i = 0; i < environment.length; i += 2) {
      process.environment().put(environment[i], environment[i + 1]);
    }
    Process started = process.start();
    String output = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(started.waitFor()).as(output).isZero();
    return new JsonObject(output.substring(output.lastIndexOf('\n') + 1));
  }

  @Test
  void aPartialConfigFileInTheWorkingDirectoryOverridesOnlyItsKeys(@TempDir Path workingDir) throws Exception {
    Files.createDirectories(workingDir.resolve("conf"));
    Files.writeString(workingDir.resolve("conf/config.yaml"), "HTTP_PORT: 9090\nROLES: api,store\n");

    JsonObject config = mergedConfigIn(workingDir, "ROLES", "store");

    assertThat(config.getValue("HTTP_PORT")).isEqualTo(9090);
    assertThat(config.getValue("ROLES")).as("the environment wins over the file").isEqualTo("store");
    assertThat(config.getValue("TIDEPOOL_CLINIC_DATABASE_NAME")).as("a packaged default").isEqualTo("clinic");
    assertThat(config.getValue("DATA_DIR")).as("a packaged default").isEqualTo("data");
  }
}
