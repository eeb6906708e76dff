package org.tidepool.clinic;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.config.Secrets;
import org.tidepool.clinic.testing.PackagedDefaults;

/** {@code config}: the configuration {@code serve} would use, as an operator runs it, with secrets masked. */
class ConfigCommandTest {
  private static final String SMTP_SECRET = "smtp-secret-7f3a9c";
  private static final String KAFKA_SECRET = "kafka-secret-2b8d41";
  private static final String TOKEN_SECRET = "server-token-c0ffee";

  @Test
  void printsDefaultsFileEnvironmentLayersAndMasksEverySecret(@TempDir Path workingDir) throws Exception {
    Files.createDirectories(workingDir.resolve("conf"));
    Files.writeString(workingDir.resolve("conf/config.yaml"), "HTTP_PORT: 9191\nJWT_SECRET: file-jwt-secret-55aa\n");
    Map<String, String> printed = run(workingDir, Map.of(
        "SMTP_PASSWORD", SMTP_SECRET, "KAFKA_PASSWORD", KAFKA_SECRET, "TIDEPOOL_SERVER_TOKEN", TOKEN_SECRET,
        "KAFKA_USERNAME", "clinic", "KAFKA_TLS_TRUSTSTORE_PATH", "/etc/kafka/ca.pem", "NOT_A_SETTING", "ignored"));

    assertThat(printed).containsEntry("HTTP_PORT", "9191").containsEntry("KAFKA_USERNAME", "clinic")
        .containsEntry("KAFKA_TLS_TRUSTSTORE_PATH", "/etc/kafka/ca.pem").containsEntry("CDC_RETRY_ATTEMPTS", "5")
        .containsEntry("SMTP_PASSWORD", Secrets.MASK).containsEntry("KAFKA_PASSWORD", Secrets.MASK)
        .containsEntry("TIDEPOOL_SERVER_TOKEN", Secrets.MASK).containsEntry("JWT_SECRET", Secrets.MASK)
        .containsEntry("TIDEPOOL_STORE_PASSWORD", "").doesNotContainKey("NOT_A_SETTING");
    assertThat(printed.keySet()).containsAll(PackagedDefaults.with(new JsonObject()).fieldNames());
  }

  @Test
  void theSecretsAreTheSettingsNamedAsSecrets() {
    List<String> secrets = PackagedDefaults.with(new JsonObject()).fieldNames().stream().filter(Secrets::isSecret).sorted().toList();
    assertThat(secrets).contains("TIDEPOOL_STORE_PASSWORD", "KAFKA_PASSWORD", "KAFKA_TLS_TRUSTSTORE_PASSWORD", "SMTP_PASSWORD",
        "TIDEPOOL_SERVER_TOKEN", "JWT_SECRET").allMatch(key -> !key.endsWith("_PATH") && !key.endsWith("_ENDPOINT"));
    assertThat(Secrets.isSecret("CLUSTER_TLS_KEYSTORE_PASSWORD")).isTrue();
    assertThat(Secrets.isSecret("CLUSTER_TLS_KEYSTORE_PATH")).isFalse();
    assertThat(Secrets.isSecret("TIDEPOOL_AUTH_SERVICE_TOKEN_ENDPOINT")).isFalse();
    assertThat(Secrets.isSecret("SOME_API_KEY")).isTrue();
  }

  private static Map<String, String> run(Path directory, Map<String, String> environment) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    File out = directory.resolve("stdout").toFile();
    File err = directory.resolve("stderr").toFile();
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "config")
        .directory(directory.toFile()).redirectOutput(out).redirectError(err);
    builder.environment().keySet().removeIf(name -> PackagedDefaults.with(new JsonObject()).containsKey(name) || name.equals("CONFIG_FILE"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("config finished").isTrue();
    String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
    String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(stderr).isZero();
    for (String secret : List.of(SMTP_SECRET, KAFKA_SECRET, TOKEN_SECRET, "file-jwt-secret-55aa")) {
      assertThat(stdout + stderr).doesNotContain(secret);
    }
    return stdout.lines().filter(line -> line.contains("=")).collect(Collectors.toMap(
        line -> line.substring(0, line.indexOf('=')), line -> line.substring(line.indexOf('=') + 1)));
  }
}
