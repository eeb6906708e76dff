package org.tidepool.clinic.migration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.LegacyPlatformStubs;
import static org.tidepool.clinic.testing.LegacyPlatformStubs.call;
import static org.tidepool.clinic.testing.LegacyPlatformStubs.ok;
import org.tidepool.clinic.testing.LegacyPlatformStubs.LegacyClinician;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * A migration whose runs keep failing for a reason that may pass (here gatekeeper answering 503
 * to every read of the legacy shares) is tried again at each sweep, and ends FAILED with the
 * reason once it is older than {@code MIGRATION_GIVE_UP_AFTER_MS}, instead of being retried for days.
 */
@ExtendWith(TestStackExtension.class)
class MigrationGiveUpTest {
  private static final long GIVE_UP_AFTER_MS = 3_000;
  private static LegacyPlatformStubs stubs;
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stubs = new LegacyPlatformStubs();
    stack = stacks.start(stubs.config().put("ROLES", "api,store,mail,migration").put("MIGRATION_SWEEP_INTERVAL_MS", 200)
        .put("MIGRATION_GIVE_UP_AFTER_MS", GIVE_UP_AFTER_MS));
  }

  @AfterAll
  static void stop() {
    stubs.close();
  }

  @Test
  void aMigrationStillFailingAfterTheWindowEndsFailedWithTheReason() {
    LegacyClinician legacy = stubs.legacyClinician("Dr. Down Stream", 2);
    stubs.server().stubFor(get(urlEqualTo("/gatekeeper/access/groups/" + legacy.userId())).atPriority(1)
        .willReturn(aResponse().withStatus(503)));
    String session = stubs.sessionFor(legacy.userId());
    String clinicId = ok(call(stack, HttpMethod.POST, "/v1/clinicians/" + legacy.userId() + "/migrate", LegacyPlatformStubs.SERVER_TOKEN, null))
        .getString("id");
    ok(call(stack, HttpMethod.PUT, "/v1/clinics/" + clinicId, session, LegacyAccounts.clinicProfile("Down Stream Clinic")));
    Instant triggered = Instant.now();
    ok(call(stack, HttpMethod.POST, "/v1/clinics/" + clinicId + "/migrate", session, new JsonObject()));

    // tried again while the window lasts, and still to run
    Eventually.await(stack.vertx(), "a second read of the shares", () -> stubs.shareReads(legacy.userId()) >= 2 ? true : null);
    if (Duration.between(triggered, Instant.now()).toMillis() < GIVE_UP_AFTER_MS - 500) {
      assertThat(migration(clinicId, legacy.userId()).getString("status")).isEqualTo("PENDING");
    }

    JsonObject failed = Eventually.await(stack.vertx(), "the migration given up", () -> {
      JsonObject now = migration(clinicId, legacy.userId());
      return "FAILED".equals(now.getString("status")) ? now : null;
    });
    assertThat(Duration.between(triggered, Instant.now()).toMillis()).isGreaterThanOrEqualTo(GIVE_UP_AFTER_MS - 200);
    assertThat(failed.getString("failureReason")).startsWith("still failing PT3S after it was created: ").contains("503");
    assertThat(stack.clinicDb().count("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId))).await())
        .isZero();

    // not taken up again
    int reads = stubs.shareReads(legacy.userId());
    stack.vertx().timer(1_000).await();
    assertThat(stubs.shareReads(legacy.userId())).isEqualTo(reads);
    assertThat(migration(clinicId, legacy.userId())).isEqualTo(failed);
  }

  private static JsonObject migration(String clinicId, String userId) {
    return ok(call(stack, HttpMethod.GET, "/v1/clinics/" + clinicId + "/migrations/" + userId, LegacyPlatformStubs.SERVER_TOKEN, null));
  }

}
