package org.tidepool.clinic.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Mailbox;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * A whole migration on the embedded stack, from the legacy data in the platform database to
 * COMPLETED: TriggerInitialMigration over HTTP, the insert through the relay, Kafka and the cdc
 * consumer to the migration verticle, which creates the patients with their legacy permissions,
 * mails each patient with an email once, removes the shares, replaces the legacy role and ends
 * the sessions, shows its progress, and mails the clinician at the end.
 */
@ExtendWith(TestStackExtension.class)
class MigrationEndToEndTest {
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store,cdc-relay,cdc-consumer,mail,migration")
        .put("PATIENT_MIGRATIONS_PER_SECOND_LIMIT", 5).put("METRICS_ENABLED", true));
  }

  @Test
  void aLegacyClinicMovesIntoItsClinicWithPermissionsMailsAndProgress() {
    LegacyAccounts legacy = LegacyAccounts.of("e2e", 6)
        .with(new LegacyAccounts.Patient("e2e0000101", null, "No Mail", "2011-03-04", List.of("view"), false))
        .with(new LegacyAccounts.Patient("e2e0000102", "gone@example.org", "Gone", "2011-03-04", List.of("view"), true));
    legacy.importInto(stack.platformDb());
    String token = stack.userToken(legacy.clinicianId(), legacy.clinicianEmail(), legacy.clinicianName());
    String clinicId = LegacyAccounts.newClinicExperience(stack, token, legacy.clinicianId(), "Legacy Move Clinic");

    JsonObject triggered = ok(stack.http().post("/v1/clinics/" + clinicId + "/migrate").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject()).await());
    assertThat(triggered.getString("status")).isEqualTo("PENDING");

    String migrationUri = "/v1/clinics/" + clinicId + "/migrations/" + legacy.clinicianId();
    List<String> statuses = new ArrayList<>();
    List<Integer> migratedSeen = new ArrayList<>();
    JsonObject completed = Eventually.await(stack.vertx(), "the migration completed", () -> {
      JsonObject migration = ok(stack.http().get(migrationUri).bearerTokenAuthentication(stack.serverToken()).send().await());
      String status = migration.getString("status");
      if (statuses.isEmpty() || !statuses.get(statuses.size() - 1).equals(status)) {
        statuses.add(status);
      }
      JsonObject progress = migration.getJsonObject("progress");
      if (progress != null) {
        migratedSeen.add(progress.getInteger("patientsMigrated", 0));
      }
      return "COMPLETED".equals(status) ? migration : null;
    });
    assertThat(statuses).as("statuses seen").containsSubsequence("RUNNING", "COMPLETED").doesNotContain("FAILED");
    assertThat(statuses.get(0)).isIn("PENDING", "RUNNING");
    assertThat(completed.getJsonObject("progress")).isEqualTo(new JsonObject()
        .put("patientsTotal", 8).put("patientsMigrated", 7).put("patientsSkipped", 1));
    assertThat(migratedSeen).as("progress while running").anyMatch(migrated -> migrated > 0 && migrated < 7);

    List<JsonObject> patients = stack.clinicDb().find("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId))
        .put("userId", new JsonObject().put("$regex", "^e2e"))).await();
    Map<String, JsonObject> byUser = patients.stream().collect(Collectors.toMap(p -> p.getString("userId"), p -> p));
    assertThat(byUser).hasSize(7).doesNotContainKey("e2e0000102");
    for (LegacyAccounts.Patient patient : legacy.patients().subList(0, 6)) {
      JsonObject record = byUser.get(patient.id());
      assertThat(record.getJsonObject("permissions").fieldNames()).as(patient.id()).containsExactlyInAnyOrder("view", "upload", "note");
      assertThat(record.getBoolean("isMigrated")).isTrue();
      assertThat(record.getJsonArray("legacyClinicianIds")).containsExactly(legacy.clinicianId());
      assertThat(record.getString("fullName")).isEqualTo(patient.fullName());
      assertThat(record.getString("email")).isEqualTo(patient.email());
    }
    assertThat(byUser.get("e2e0000101").getJsonObject("permissions").fieldNames()).containsExactly("view");

    List<JsonObject> shares = stack.platformDb().find(LegacyAccounts.SHARES, new JsonObject().put("clinicianId", legacy.clinicianId())).await();
    assertThat(shares).as("shares left: the gone account's only").extracting(share -> share.getString("patientId"))
        .containsExactly("e2e0000102");
    JsonObject clinician = stack.platformDb().findOne("users", new JsonObject().put("_id", legacy.clinicianId()), null).await();
    assertThat(clinician.getJsonArray("roles")).isEqualTo(new JsonArray().add("clinician"));
    assertThat(stack.platformDb().count("ended_sessions", new JsonObject().put("_id", legacy.clinicianId())).await()).isEqualTo(1);

    for (LegacyAccounts.Patient patient : legacy.patients().subList(0, 6)) {
      Mailbox.Mail mail = stack.mailbox().awaitFor(patient.email());
      assertThat(mail.subject()).isEqualTo("Important: Updates to Legacy Move Clinic access and data sharing");
      assertThat(mail.text()).contains(legacy.clinicianName());
    }
    Mailbox.Mail toClinician = stack.mailbox().awaitFor(legacy.clinicianEmail());
    // the empty clinic of EnableNewClinicExperience had no name: no clinic_created before it
    assertThat(toClinician.subject()).isEqualTo("New Tidepool Clinic account created");
    assertThat(stack.mailbox().to(legacy.clinicianEmail())).hasSize(1);
    assertThat(stack.mailbox().to("gone@example.org")).isEmpty();
    for (LegacyAccounts.Patient patient : legacy.patients().subList(0, 6)) {
      assertThat(stack.mailbox().to(patient.email())).as("one mail to " + patient.email()).hasSize(1);
    }

    String metrics = stack.http().get("/metrics").send().await().bodyAsString();
    assertThat(counter(metrics, "clinic_migration_patients_total", "migrated")).isGreaterThanOrEqualTo(7);
    assertThat(counter(metrics, "clinic_migration_patients_total", "skipped")).isGreaterThanOrEqualTo(1);
    assertThat(metrics).contains("clinic_migration_running");
  }

  private static double counter(String metrics, String name, String outcome) {
    Matcher line = Pattern.compile("(?m)^" + name + "\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$").matcher(metrics);
    return line.find() ? Double.parseDouble(line.group(1)) : 0;
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }
}
