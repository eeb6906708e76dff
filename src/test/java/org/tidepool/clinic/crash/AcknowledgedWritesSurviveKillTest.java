package org.tidepool.clinic.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.api.auth.TestTokens;

/**
 * Issue 5, part 1: the embedded store acknowledges a write only once it is in its file. Ten
 * clinics created one after the other, {@code kill -9} right after the last answer, and all ten
 * are there after a restart on the same DATA_DIR (before the fix the last one or two were gone:
 * H2 committed about once a second).
 */
class AcknowledgedWritesSurviveKillTest {
  private static Vertx vertx;
  private static DevTokens tokens;

  @BeforeAll
  static void tokens() {
    vertx = Vertx.vertx();
    tokens = TestTokens.withSecret(vertx, ServiceProcess.JWT_SECRET);
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @Test
  @Timeout(240)
  void tenClinicsCreatedJustBeforeAKillAreAllThereAfterTheRestart(@TempDir Path dir) {
    String creator = tokens.user("killtest01", "creator@crash.test", "Crash Creator");
    try (ServiceProcess service = new ServiceProcess(dir.resolve("data"), Path.of("target", "crash-test", "ten-clinics"), Map.of())) {
      service.start();
      service.awaitReady();
      ClinicHttp http = new ClinicHttp(service.httpPort());
      List<String> created = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ClinicHttp.Answer answer = http.createClinic(creator, "Kill Test " + i);
        assertThat(answer.status()).as("CreateClinic %d: %s", i, answer.body()).isEqualTo(200);
        created.add(answer.json().getString("id"));
      }
      service.kill();

      service.start();
      service.awaitReady();
      List<String> missing = created.stream().filter(id -> http.getClinic(creator, id).status() != 200).toList();
      assertThat(missing).as("clinics acknowledged before the kill but gone after the restart").isEmpty();
    }
  }
}
