package org.tidepool.clinic.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOG_FORMAT is read before logging starts, from the sources ConfigLoader reads, in its order. */
class LogFormatTest {
  @TempDir
  Path dir;

  @Test
  void thePackagedDefaultIsJson() {
    assertThat(LogFormat.resolve(Map.of(), dir.resolve("conf/config.yaml"))).isEqualTo("json");
  }

  @Test
  void aWorkingDirectoryFileOverridesTheDefaultAndTheEnvironmentOverridesBoth() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "HTTP_PORT: 9000\nLOG_FORMAT: text\n");
    assertThat(LogFormat.resolve(Map.of(), file)).isEqualTo("text");
    assertThat(LogFormat.resolve(Map.of("LOG_FORMAT", "json"), file)).isEqualTo("json");
    assertThat(LogFormat.resolve(Map.of("LOG_FORMAT", "TEXT"), dir.resolve("missing.yaml"))).isEqualTo("text");
  }

  @Test
  void aFileWithoutTheKeyOrUnreadableLeavesTheDefault() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "HTTP_PORT: [unclosed\n");
    assertThat(LogFormat.resolve(Map.of(), file)).isEqualTo("json");
    Files.writeString(file, "HTTP_PORT: 9000\n");
    assertThat(LogFormat.resolve(Map.of(), file)).isEqualTo("json");
  }

  @Test
  void startUpRefusesAnUnknownFormatNamingTheSetting() {
    assertThat(LogFormat.check(new Settings(new JsonObject().put("LOG_FORMAT", "text")))).isEqualTo("text");
    assertThatThrownBy(() -> LogFormat.check(new Settings(new JsonObject().put("LOG_FORMAT", "xml"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("LOG_FORMAT").hasMessageContaining("xml");
  }
}
