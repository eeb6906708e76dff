package org.tidepool.clinic.migration;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.LegacyPlatformStubs;
import static org.tidepool.clinic.testing.LegacyPlatformStubs.call;
import static org.tidepool.clinic.testing.LegacyPlatformStubs.ok;
import org.tidepool.clinic.testing.LegacyPlatformStubs.LegacyClinician;
import org.tidepool.clinic.testing.LegacyPlatformStubs.LegacyPatient;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * A migration in tidepool mode against HTTP stand-ins of shoreline, seagull and gatekeeper: the
 * shares read from gatekeeper, the role replaced and the sessions ended at shoreline, each
 * patient's record built from shoreline and seagull, each share removed with a {@code null} body,
 * a patient whose account is gone skipped. No cdc consumer runs here: the migration verticle's
 * sweep finds the PENDING migration itself (a lost hand-over loses nothing).
 */
@ExtendWith(TestStackExtension.class)
class MigrationTidepoolTest {
  private static LegacyPlatformStubs stubs;
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stubs = new LegacyPlatformStubs();
    stack = stacks.start(stubs.config().put("ROLES", "api,store,mail,migration").put("MIGRATION_SWEEP_INTERVAL_MS", 300)
        .put("PATIENT_MIGRATIONS_PER_SECOND_LIMIT", 0));
  }

  @AfterAll
  static void stop() {
    stubs.close();
  }

  @Test
  void theMigrationCallsGatekeeperShorelineAndSeagullAsUpstreamsWorker() {
    LegacyClinician legacy = stubs.legacyClinician("Dr. Tide Pool", 6);
    LegacyPatient gone = legacy.patients().get(5);
    stubs.accountGone(gone.userId());
    List<LegacyPatient> present = legacy.patients().subList(0, 5);
    String session = stubs.sessionFor(legacy.userId());

    JsonObject clinic = ok(call(stack, HttpMethod.POST, "/v1/clinicians/" + legacy.userId() + "/migrate", LegacyPlatformStubs.SERVER_TOKEN, null));
    String clinicId = clinic.getString("id");
    ok(call(stack, HttpMethod.PUT, "/v1/clinics/" + clinicId, session, LegacyAccounts.clinicProfile("Tide Clinic")));
    assertThat(ok(call(stack, HttpMethod.POST, "/v1/clinics/" + clinicId + "/migrate", session, new JsonObject())).getString("status"))
        .isEqualTo("PENDING");

    JsonObject migration = Eventually.await(stack.vertx(), "the migration completed", () -> {
      JsonObject now = ok(call(stack, HttpMethod.GET, "/v1/clinics/" + clinicId + "/migrations/" + legacy.userId(),
          LegacyPlatformStubs.SERVER_TOKEN, null));
      return "COMPLETED".equals(now.getString("status")) ? now : null;
    });
    assertThat(migration.getJsonObject("progress")).isEqualTo(new JsonObject()
        .put("patientsTotal", 6).put("patientsMigrated", 5).put("patientsSkipped", 1));

    assertThat(stubs.shareReads(legacy.userId())).isGreaterThanOrEqualTo(1);
    assertThat(stubs.roleUpdates(legacy.userId())).isNotEmpty()
        .containsOnly(new JsonObject().put("updates", new JsonObject().put("roles", new JsonArray().add("clinician"))));
    assertThat(stubs.sessionEnds(legacy.userId())).isGreaterThanOrEqualTo(1);
    assertThat(stubs.patientsUnshared(legacy.userId())).containsExactlyInAnyOrderElementsOf(
        present.stream().map(LegacyPatient::userId).toList());
    List<LoggedRequest> removals = stubs.server().findAll(postRequestedFor(urlMatching("/gatekeeper/access/.*")));
    assertThat(removals).extracting(LoggedRequest::getBodyAsString).containsOnly("null");
    assertThat(removals).extracting(request -> request.getHeader(LegacyPlatformStubs.SESSION_HEADER))
        .containsOnly(LegacyPlatformStubs.SERVER_TOKEN);

    Map<String, JsonObject> byUser = stack.clinicDb().find("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId)))
        .await().stream().collect(Collectors.toMap(p -> p.getString("userId"), p -> p));
    assertThat(byUser.keySet()).containsExactlyInAnyOrderElementsOf(present.stream().map(LegacyPatient::userId).toList());
    for (LegacyPatient patient : present) {
      JsonObject record = byUser.get(patient.userId());
      assertThat(record.getJsonObject("permissions").fieldNames()).containsExactlyInAnyOrder("view", "upload");
      assertThat(record.getString("mrn")).isEqualTo(patient.mrn());
      assertThat(record.getString("birthDate")).isEqualTo(patient.birthday());
      assertThat(record.getString("email")).isEqualTo(patient.email());
      assertThat(record.getJsonArray("legacyClinicianIds")).containsExactly(legacy.userId());
      assertThat(stack.mailbox().awaitFor(patient.email()).subject()).isEqualTo("Important: Updates to Tide Clinic access and data sharing");
      assertThat(stack.mailbox().to(patient.email())).hasSize(1);
    }
    assertThat(stack.mailbox().awaitFor(legacy.email()).subject()).isEqualTo("New Tidepool Clinic account created");
    assertThat(stack.mailbox().to(gone.email())).isEmpty();
  }

}
