package org.tidepool.clinic.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.LegacyPlatformStubs;
import org.tidepool.clinic.testing.LegacyPlatformStubs.LegacyClinician;
import org.tidepool.clinic.testing.LegacyPlatformStubs.LegacyPatient;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * A tidepool-mode service on {@link LegacyPlatformStubs}: the worker ports built from the
 * service's configuration reach the stubbed gatekeeper, and the service's own CreatePatientFromUser
 * and CreateClinic read the stubbed shoreline accounts and seagull profiles.
 */
@ExtendWith(TestStackExtension.class)
class LegacyPlatformStubsTest {
  static LegacyPlatformStubs stubs;
  static TestStack stack;
  static Platform platform;

  @BeforeAll
  static void start(TestStacks stacks) {
    stubs = new LegacyPlatformStubs();
    stack = stacks.start(stubs.config().put("ROLES", "api,store"));
    platform = Platform.create(stack.vertx(), new Settings(stack.app().config()), null);
  }

  @AfterAll
  static void stop() {
    platform.close();
    stubs.close();
  }

  @Test
  void theConfiguredPortReadsAndRemovesTheStubbedShares() {
    LegacyClinician legacy = stubs.legacyClinician("Dr. Stub", 3);
    LegacyClinicians port = platform.worker().legacyClinicians();

    Map<String, Set<String>> expected = legacy.patients().stream()
        .collect(Collectors.toMap(LegacyPatient::userId, patient -> Set.of("view", "upload")));
    assertThat(port.sharedPatients(legacy.userId()).await()).isEqualTo(expected);
    port.replaceLegacyRole(legacy.userId()).await();
    port.endSessions(legacy.userId()).await();
    port.removeShare(legacy.patients().get(0).userId(), legacy.userId()).await();

    assertThat(stubs.removedShares(legacy.userId())).containsExactly(legacy.patients().get(0).userId());
    assertThat(stubs.roleUpdates(legacy.userId())).containsExactly(new JsonObject("{\"updates\": {\"roles\": [\"clinician\"]}}"));
    assertThat(stubs.sessionEnds(legacy.userId())).isEqualTo(1);
    assertThat(stubs.shareReads(legacy.userId())).isEqualTo(1);
  }

  @Test
  void theServiceCreatesAClinicForTheLegacyClinicianAndPatientsFromTheStubbedAccounts() {
    LegacyClinician legacy = stubs.legacyClinician("Dr. Stubbed", 2);
    HttpResponse<Buffer> clinic = stack.http().post("/v1/clinics")
        .putHeader(LegacyPlatformStubs.SESSION_HEADER, stubs.sessionFor(legacy.userId()))
        .sendJsonObject(new JsonObject().put("name", "Stubbed Clinic").put("preferredBgUnits", "mg/dL")).await();
    assertThat(clinic.statusCode()).as(clinic.bodyAsString()).isEqualTo(200);
    String clinicId = clinic.bodyAsJsonObject().getString("id");

    LegacyPatient first = legacy.patients().get(0);
    HttpResponse<Buffer> created = fromUser(clinicId, first.userId(), legacy.userId());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    JsonObject patient = created.bodyAsJsonObject();
    assertThat(patient.getString("email")).isEqualTo(first.email());
    assertThat(patient.getString("fullName")).isEqualTo(first.fullName());
    assertThat(patient.getString("birthDate")).isEqualTo(first.birthday());
    assertThat(patient.getString("mrn")).isEqualTo(first.mrn());

    String gone = legacy.patients().get(1).userId();
    stubs.accountGone(gone);
    assertThat(fromUser(clinicId, gone, legacy.userId()).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<Buffer> fromUser(String clinicId, String userId, String legacyClinicianId) {
    return stack.http().post("/v1/clinics/" + clinicId + "/patients/" + userId)
        .putHeader(LegacyPlatformStubs.SESSION_HEADER, LegacyPlatformStubs.SERVER_TOKEN)
        .sendJsonObject(new JsonObject().put("permissions", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()))
            .put("isMigrated", true).put("legacyClinicianId", legacyClinicianId)).await();
  }
}
