package org.tidepool.clinic.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.Main;
import org.tidepool.clinic.testing.PackagedDefaults;

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

  record Finished(int exitCode, String output) {}

  /** Runs {@code mainClass} in a JVM of its own, in {@code workingDir}, with these environment variables added. */
  static Finished run(Path workingDir, String mainClass, String... environment) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), mainClass)
        .directory(workingDir.toFile())
        .redirectErrorStream(true);
    process.environment().keySet().removeIf(name -> name.equals("CONFIG_FILE") || name.startsWith("HTTP_") || name.equals("ROLES"));
    for (int i = 0; i < environment.length; i += 2) {
      process.environment().put(environment[i], environment[i + 1]);
    }
    Process started = process.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (!started.waitFor(90, TimeUnit.SECONDS)) {
      started.destroyForcibly();
      throw new AssertionError(mainClass + " did not finish within 90 s");
    }
    return new Finished(started.exitValue(), output.join());
  }

  static JsonObject mergedConfigIn(Path workingDir, String... environment) throws IOException, InterruptedException {
    Finished finished = run(workingDir, PrintMergedConfig.class.getName(), environment);
    assertThat(finished.exitCode()).as(finished.output()).isZero();
    String output = finished.output();
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

  @Test
  void onlyTheSettingsOfTheServiceAreReadFromTheEnvironment(@TempDir Path workingDir) throws Exception {
    // the links Kubernetes injects for the services of a namespace, one of them named like ours
    JsonObject config = mergedConfigIn(workingDir, "CLINIC_SERVICE_PORT", "tcp://10.0.0.1:8080",
        "KAFKA_PORT", "tcp://10.0.0.2:9092", "HTTP_INSTANCES", "3");

    assertThat(config.containsKey("CLINIC_SERVICE_PORT")).isFalse();
    assertThat(config.containsKey("KAFKA_PORT")).isFalse();
    assertThat(config.containsKey("PATH")).isFalse();
    assertThat(config.getValue("HTTP_INSTANCES")).as("a setting of the service").isEqualTo("3");
  }

  @Test
  void theDefaultsOnceWrittenInCodeAreInThePackagedFile() {
    JsonObject config = PackagedDefaults.with(new JsonObject());

    assertThat(config.getValue("HTTP_BODY_LIMIT_BYTES")).isEqualTo(262144);
    assertThat(config.getValue("SMTP_TIMEOUT_MS")).isEqualTo(20000);
    assertThat(config.getValue("PLATFORM_REQUEST_TIMEOUT_MS")).isEqualTo(10000);
    assertThat(config.getValue("CDC_HANDLER_TIMEOUT_MS")).isEqualTo(30000);
  }

  @Test
  void aMalformedSettingInTheEnvironmentStopsStartUpNamingIt(@TempDir Path workingDir) throws Exception {
    Finished serve = run(workingDir, Main.class.getName(), "HTTP_PORT", "tcp://10.0.0.1:8080", "DATA_DIR", workingDir.toString());

    assertThat(serve.exitCode()).as(serve.output()).isNotZero();
    assertThat(serve.output()).contains("configuration error: HTTP_PORT must be an integer, got 'tcp://10.0.0.1:8080'");
  }
}
