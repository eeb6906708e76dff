package org.tidepool.clinic.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Mailbox;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * Two processes (each a Vert.x and service of its own, not clustered) with the migration role on
 * one database: both see the PENDING migration, only one runs it at a time (the migration's
 * lease); when the first process stops halfway, the other continues. Every patient ends in the
 * clinic once, with one mail.
 */
@ExtendWith(TestStackExtension.class)
class TwoMigrationProcessesTest {
  private static final int PATIENTS = 40;
  private static TestStack first;
  private static TestStack second;
  private static Mailbox mailbox;

  @BeforeAll
  static void start(TestStacks stacks) {
    JsonObject migration = new JsonObject().put("MIGRATION_SWEEP_INTERVAL_MS", 200).put("MIGRATION_LEASE_TTL_MS", 2000)
        .put("PATIENT_MIGRATIONS_PER_SECOND_LIMIT", 8);
    first = stacks.start(migration.copy().put("ROLES", "api,store,cdc-relay,cdc-consumer,mail,migration"));
    // the first one's databases, topics and sender: the second is another process on the same data
    second = stacks.start(migration.copy().mergeIn(first.namespace().config()).put("ROLES", "api,store,mail,migration"));
    mailbox = new Mailbox(second.vertx(), stacks.servers().smtp().greenMail(), first.namespace().senderAddress());
  }

  @Test
  void onlyOneProcessRunsTheMigrationAtATimeAndTheOtherContinuesIt() {
    LegacyAccounts legacy = LegacyAccounts.of("b2", PATIENTS);
    legacy.importInto(first.platformDb());
    String token = first.userToken(legacy.clinicianId(), legacy.clinicianEmail(), legacy.clinicianName());
    String clinicId = LegacyAccounts.newClinicExperience(first, token, legacy.clinicianId(), "Twin Clinic");
    assertThat(first.http().post("/v1/clinics/" + clinicId + "/migrate").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject()).await().statusCode()).isEqualTo(200);

    Eventually.await(first.vertx(), "some patients finished", () ->
        first.clinicDb().count("migration_patients", new JsonObject().put("outcome", new JsonObject().put("$ne", "started"))).await() >= PATIENTS / 4 ? true : null);
    first.close();

    String migrationUri = "/v1/clinics/" + clinicId + "/migrations/" + legacy.clinicianId();
    JsonObject migration = Eventually.await(second.vertx(), "the migration completed", () -> {
      JsonObject now = second.http().get(migrationUri).bearerTokenAuthentication(second.serverToken()).send().await().bodyAsJsonObject();
      return "COMPLETED".equals(now.getString("status")) ? now : null;
    });
    assertThat(migration.getJsonObject("progress")).isEqualTo(new JsonObject()
        .put("patientsTotal", PATIENTS).put("patientsMigrated", PATIENTS).put("patientsSkipped", 0));

    List<String> userIds = second.clinicDb().find("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId)))
        .await().stream().map(patient -> patient.getString("userId")).toList();
    assertThat(userIds).hasSize(PATIENTS).doesNotHaveDuplicates();
    for (LegacyAccounts.Patient patient : legacy.patients()) {
      mailbox.awaitFor(patient.email());
    }
    for (LegacyAccounts.Patient patient : legacy.patients()) {
      assertThat(mailbox.to(patient.email())).as("mails to " + patient.email()).hasSize(1);
    }
    assertThat(mailbox.awaitFor(legacy.clinicianEmail()).subject()).isEqualTo("New Tidepool Clinic account created");
    assertThat(mailbox.to(legacy.clinicianEmail())).hasSize(1);
  }
}
