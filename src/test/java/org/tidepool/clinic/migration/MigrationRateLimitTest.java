package org.tidepool.clinic.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * {@code PATIENT_MIGRATIONS_PER_SECOND_LIMIT} holds: 100 patients at 20 per second are created
 * at 20 per second (within 10%), measured by their records' creation times.
 */
@ExtendWith(TestStackExtension.class)
class MigrationRateLimitTest {
  private static final int PATIENTS = 100;
  private static final int RATE = 20;
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store,mail,migration").put("MIGRATION_SWEEP_INTERVAL_MS", 200)
        .put("PATIENT_MIGRATIONS_PER_SECOND_LIMIT", RATE));
  }

  @Test
  void patientsAreMigratedAtTheConfiguredRate() {
    LegacyAccounts legacy = LegacyAccounts.of("a7", PATIENTS);
    legacy.importInto(stack.platformDb());
    String token = stack.userToken(legacy.clinicianId(), legacy.clinicianEmail(), legacy.clinicianName());
    String clinicId = LegacyAccounts.newClinicExperience(stack, token, legacy.clinicianId(), "Paced Clinic");
    assertThat(stack.http().post("/v1/clinics/" + clinicId + "/migrate").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject()).await().statusCode()).isEqualTo(200);

    String migrationUri = "/v1/clinics/" + clinicId + "/migrations/" + legacy.clinicianId();
    Eventually.await(stack.vertx(), "the migration completed", () -> "COMPLETED".equals(
        stack.http().get(migrationUri).bearerTokenAuthentication(stack.serverToken()).send().await().bodyAsJsonObject().getString("status"))
        ? true : null);

    List<Instant> created = stack.clinicDb().find("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId)))
        .await().stream().map(patient -> MongoJson.instant(patient.getValue("createdTime"))).sorted().toList();
    assertThat(created).hasSize(PATIENTS);
    double seconds = Duration.between(created.get(0), created.get(PATIENTS - 1)).toNanos() / 1e9;
    double rate = (PATIENTS - 1) / seconds;
    System.out.printf("MIGRATION RATE %.2f patients/s (limit %d) over %d patients in %.2f s%n", rate, RATE, PATIENTS, seconds);
    assertThat(rate).as("patients per second").isBetween(RATE * 0.9, RATE * 1.1);
  }
}
