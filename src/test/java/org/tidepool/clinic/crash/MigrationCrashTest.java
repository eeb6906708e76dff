package org.tidepool.clinic.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.api.auth.TestTokens;
import org.tidepool.clinic.mail.MailConfig;
import org.tidepool.clinic.migration.LegacyAccounts;

/**
 * A migration survives {@code kill -9}: the service (a child JVM) is killed after some of the
 * patients, started again on the same data, and continues the migration where it was, once the
 * dead process's lease expired. Every patient ends in the clinic exactly once, every share
 * removed, every patient with one {@code migrate_patient} mail (a second copy, with the same
 * Message-ID, only for a send the kill cut short of its mail-log record), the clinician with one
 * {@code clinic_migration_complete}, the progress exact.
 */
class MigrationCrashTest {
  private static final int PATIENTS = 60;
  private static final String PATIENT_SUBJECT = "Important: Updates to Crash Clinic access and data sharing";
  private static final String CLINICIAN_SUBJECT = "New Tidepool Clinic account created";

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static ServiceProcess service;
  private static int mongoPort;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    mongoPort = freePort();
    service = new ServiceProcess(dir.resolve("data"), Path.of("target", "crash-test", "migration"), Map.of(
        "EMBEDDED_MONGO_PORT", String.valueOf(mongoPort),
        "PATIENT_MIGRATIONS_PER_SECOND_LIMIT", "20",
        "MIGRATION_LEASE_TTL_MS", "3000",
        "MIGRATION_SWEEP_INTERVAL_MS", "500"));
    service.start();
    service.awaitReady();
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  @Test
  void aMigrationKilledHalfwayFinishesAfterTheRestartWithEveryPatientAndMailOnce() {
    LegacyAccounts legacy = LegacyAccounts.of("c4", PATIENTS);
    DevTokens tokens = TestTokens.withSecret(vertx, ServiceProcess.JWT_SECRET);
    String token = tokens.user(legacy.clinicianId(), legacy.clinicianEmail(), legacy.clinicianName());
    ClinicHttp http = new ClinicHttp(service.httpPort());
    MongoClient platform = mongo("platform");
    legacy.importInto(platform);
    platform.close().await();

    ClinicHttp.Answer enabled = http.call("POST", "/v1/clinicians/" + legacy.clinicianId() + "/migrate", tokens.server(), null);
    assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
    String clinicId = enabled.json().getString("id");
    ClinicHttp.Answer profiled = http.call("PUT", "/v1/clinics/" + clinicId, token, LegacyAccounts.clinicProfile("Crash Clinic"));
    assertThat(profiled.status()).as(profiled.body()).isEqualTo(200);
    ClinicHttp.Answer triggered = http.call("POST", "/v1/clinics/" + clinicId + "/migrate", token, new JsonObject());
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(200);

    MongoClient clinic = mongo("clinic");
    long finishedAtKill = await("some patients finished", 60_000, () -> {
      long finished = clinic.count("migration_patients", new JsonObject().put("outcome", new JsonObject().put("$ne", "started"))).await();
      return finished >= PATIENTS / 4 ? finished : null;
    });
    service.kill();
    clinic.close().await();
    assertThat(finishedAtKill).as("patients finished when killed").isLessThan(PATIENTS);

    service.start();
    service.awaitReady();
    String migrationUri = "/v1/clinics/" + clinicId + "/migrations/" + legacy.clinicianId();
    JsonObject migration = await("the migration completed after the restart", 90_000, () -> {
      ClinicHttp.Answer answer = http.call("GET", migrationUri, tokens.server(), null);
      return answer.ok() && "COMPLETED".equals(answer.json().getString("status")) ? answer.json() : null;
    });
    assertThat(migration.getJsonObject("progress")).isEqualTo(new JsonObject()
        .put("patientsTotal", PATIENTS).put("patientsMigrated", PATIENTS).put("patientsSkipped", 0));

    MongoClient after = mongo("clinic");
    List<JsonObject> patients = after.find("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId))).await();
    List<String> userIds = patients.stream().map(p -> p.getString("userId")).toList();
    assertThat(userIds).as("patient records").hasSize(PATIENTS).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(legacy.patients().stream().map(LegacyAccounts.Patient::id).toList());
    after.close().await();
    MongoClient platformAfter = mongo("platform");
    assertThat(platformAfter.count(LegacyAccounts.SHARES, new JsonObject().put("clinicianId", legacy.clinicianId())).await())
        .as("legacy shares left").isZero();
    platformAfter.close().await();

    List<MailFolder.Mail> mails = await("the clinician's mail", 30_000, () -> {
      List<MailFolder.Mail> read = new MailFolder(service.mailDir()).read();
      return read.stream().anyMatch(mail -> CLINICIAN_SUBJECT.equals(mail.clinicName())) ? read : null;
    });
    Map<String, List<MailFolder.Mail>> toPatients = mails.stream().filter(mail -> PATIENT_SUBJECT.equals(mail.clinicName()))
        .collect(Collectors.groupingBy(MailFolder.Mail::recipient));
    assertThat(toPatients.keySet()).as("patients mailed")
        .containsExactlyInAnyOrderElementsOf(legacy.patients().stream().map(LegacyAccounts.Patient::email).toList());
    Set<String> mailedTwiceDifferently = new HashSet<>();
    toPatients.forEach((recipient, copies) -> {
      if (copies.stream().map(MailFolder.Mail::messageId).distinct().count() > 1) {
        mailedTwiceDifferently.add(recipient);
      }
    });
    assertThat(mailedTwiceDifferently).as("patients with two different migrate_patient mails").isEmpty();
    long copies = toPatients.values().stream().mapToLong(list -> list.size() - 1).sum();
    assertThat(copies).as("second copies (same Message-ID) of migrate_patient: at most the sends the kill cut short")
        .isLessThanOrEqualTo(MailConfig.MAX_CONCURRENT_SENDS);
    assertThat(mails.stream().filter(mail -> CLINICIAN_SUBJECT.equals(mail.clinicName()))).as("clinic_migration_complete").hasSize(1);
    System.out.printf("MIGRATION CRASH SUMMARY patients=%d finished at kill=%d second copies=%d%n", PATIENTS, finishedAtKill, copies);
  }

  private static MongoClient mongo(String database) {
    return MongoClient.create(vertx, new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + mongoPort)
        .put("db_name", database));
  }

  private static <T> T await(String what, long timeoutMs, Supplier<T> probe) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      ServiceProcess.sleep(100);
    }
    throw new AssertionError("not within " + timeoutMs + " ms: " + what);
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
