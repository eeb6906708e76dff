package org.tidepool.clinic.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.common.ServiceError;

/**
 * What every {@link PatientAccounts} adapter does: the embedded user directory, and shoreline +
 * seagull over HTTP. A subclass gives the adapter and arranges or observes the accounts behind it.
 */
abstract class PatientAccountsBehaviour {
  static final String CLINIC = "0123456789abcdef01234567";

  abstract PatientAccounts accounts();

  /** Some account already has {@code email}. */
  abstract void emailTaken(String email);

  /** The account {@code userId} exists with this username and profile. */
  abstract void accountExists(String userId, String username, JsonObject profile);

  /** The account's email as the adapter last set it (null: none). */
  abstract String emailOf(String userId);

  private static int statusOf(Throwable failure) {
    return ((ServiceError) failure).code();
  }

  @Test
  void aCustodialAccountGetsATidepoolIdAndTheEmail() throws Exception {
    String userId = accounts().createCustodialUser(CLINIC, "carl@example.org").await(10, TimeUnit.SECONDS);
    assertThat(userId).matches("[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertEquals("carl@example.org", emailOf(userId));
  }

  @Test
  void aTakenEmailIsAConflict() throws Exception {
    emailTaken("taken@example.org");
    Throwable failure = awaitFailure(() -> accounts().createCustodialUser(CLINIC, "taken@example.org"));
    assertEquals(409, statusOf(failure));
    assertThat(failure.getMessage()).isEqualTo(PatientAccounts.EMAIL_TAKEN);
  }

  @Test
  void anUpdateSetsOrClearsTheEmailUnlessTaken() throws Exception {
    String userId = accounts().createCustodialUser(CLINIC, "before@example.org").await(10, TimeUnit.SECONDS);
    accounts().updateCustodialUser(userId, "after@example.org").await(10, TimeUnit.SECONDS);
    assertEquals("after@example.org", emailOf(userId));
    accounts().updateCustodialUser(userId, null).await(10, TimeUnit.SECONDS);
    assertNull(emailOf(userId));
    emailTaken("someone.else@example.org");
    assertEquals(409, statusOf(awaitFailure(() -> accounts().updateCustodialUser(userId, "someone.else@example.org"))));
  }

  @Test
  void aProfileGivesThePatientDetails() throws Exception {
    accountExists("abcdef0123", "pat@example.org", new JsonObject().put("fullName", "Parent Name")
        .put("patient", new JsonObject().put("fullName", "Pat Patient").put("birthday", "2001-02-03").put("mrn", "M9")
            .put("targetDevices", new JsonArray().add("dexcomG6"))));
    assertEquals(new PatientProfile("abcdef0123", "pat@example.org", "Pat Patient", "2001-02-03", "M9", List.of("dexcomG6")),
        accounts().patientProfile("abcdef0123").await(10, TimeUnit.SECONDS));
    accountExists("abcdef0124", "plain@example.org", new JsonObject().put("fullName", "Plain Person"));
    assertEquals(new PatientProfile("abcdef0124", "plain@example.org", "Plain Person", null, null, null),
        accounts().patientProfile("abcdef0124").await(10, TimeUnit.SECONDS));
  }

  @Test
  void anUnknownUserHasNoProfile() throws Exception {
    assertNull(accounts().patientProfile("0000000000").await(10, TimeUnit.SECONDS));
  }

  private static Throwable awaitFailure(java.util.function.Supplier<io.vertx.core.Future<?>> call) {
    try {
      call.get().await(10, TimeUnit.SECONDS);
    } catch (Throwable failure) {
      return failure;
    }
    throw new AssertionError("expected a failure");
  }
}
