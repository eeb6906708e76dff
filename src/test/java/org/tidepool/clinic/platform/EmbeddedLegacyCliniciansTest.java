package org.tidepool.clinic.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.platform.LegacyAccountImport.LegacyAccount;
import org.tidepool.clinic.platform.LegacyAccountImport.LegacyPatient;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The embedded legacy clinicians on the service's platform database: what an import wrote is what
 * a migration reads (shares, the {@code clinic} role, patient profiles as CreatePatientFromUser
 * reads them), and each migration step changes it as gatekeeper and shoreline would.
 */
@ExtendWith(TestStackExtension.class)
class EmbeddedLegacyCliniciansTest {
  static MongoClient platformDb;
  static LegacyClinicians legacy;
  static EmbeddedUserDirectory directory;

  @BeforeAll
  static void start(TestStacks stacks) {
    TestStack stack = stacks.start(new JsonObject().put("ROLES", "store"));
    platformDb = stack.platformDb();
    legacy = new EmbeddedLegacyClinicians(platformDb);
    directory = new EmbeddedUserDirectory(platformDb, new ClinicLock(stack.vertx()));
  }

  @Test
  void anImportedClinicianSharesItsPatientsWhoseAccountsAndProfilesTheDirectoryFinds() {
    LegacyAccountImport.Imported imported = new LegacyAccountImport(platformDb).run(new LegacyAccount("c1c1c1c1c1", "dr.one@example.org",
        "Dr. One", List.of(
            new LegacyPatient("d1d1d1d1d1", "ann.one@example.org", "Ann One", "2011-02-03", "M-1", Set.of("view", "upload")),
            new LegacyPatient(null, "bob.one@example.org", "Bob One", "2012-03-04", null, Set.of("custodian", "note"))))).await();

    String bob = imported.patientIds().get(1);
    assertThat(bob).matches("[0-9a-f]{10}");
    assertThat(legacy.sharedPatients("c1c1c1c1c1").await())
        .isEqualTo(Map.of("d1d1d1d1d1", Set.of("view", "upload"), bob, Set.of("custodian", "note")));
    assertThat(directory.find("c1c1c1c1c1").await()).isEqualTo(new User("c1c1c1c1c1", "dr.one@example.org", "Dr. One", List.of("clinic")));
    assertThat(roles("c1c1c1c1c1")).containsExactly("clinic");
    assertThat(directory.patientProfile("d1d1d1d1d1").await())
        .isEqualTo(new PatientProfile("d1d1d1d1d1", "ann.one@example.org", "Ann One", "2011-02-03", "M-1", null));
    assertThat(directory.patientProfile(bob).await())
        .isEqualTo(new PatientProfile(bob, "bob.one@example.org", "Bob One", "2012-03-04", null, null));
  }

  @Test
  void theClinicianOwnShareAndPermissionsAMigrationDoesNotCarryAreLeftOut() {
    platformDb.insert(EmbeddedLegacyClinicians.SHARES, share("c2c2c2c2c2", "c2c2c2c2c2", "root", "view")).await();
    platformDb.insert(EmbeddedLegacyClinicians.SHARES, share("d2d2d2d2d2", "c2c2c2c2c2", "view", "share_review")).await();
    platformDb.insert(EmbeddedLegacyClinicians.SHARES, share("d2d2d2d2d2", "ffffffffff", "upload")).await();

    assertThat(legacy.sharedPatients("c2c2c2c2c2").await()).isEqualTo(Map.of("d2d2d2d2d2", Set.of("view")));
    assertThat(legacy.sharedPatients("0000000000").await()).isEmpty();
  }

  @Test
  void removingAShareRemovesThatShareOnlyAndRepeatsSafely() {
    platformDb.insert(EmbeddedLegacyClinicians.SHARES, share("d3d3d3d3d3", "c3c3c3c3c3", "view")).await();
    platformDb.insert(EmbeddedLegacyClinicians.SHARES, share("e3e3e3e3e3", "c3c3c3c3c3", "view")).await();
    platformDb.insert(EmbeddedLegacyClinicians.SHARES, share("d3d3d3d3d3", "f3f3f3f3f3", "view")).await();

    legacy.removeShare("d3d3d3d3d3", "c3c3c3c3c3").await();
    legacy.removeShare("d3d3d3d3d3", "c3c3c3c3c3").await();

    assertThat(legacy.sharedPatients("c3c3c3c3c3").await()).containsOnlyKeys("e3e3e3e3e3");
    assertThat(legacy.sharedPatients("f3f3f3f3f3").await()).containsOnlyKeys("d3d3d3d3d3");
  }

  @Test
  void theLegacyRoleBecomesClinicianAndTheSessionEndIsRecorded() {
    new LegacyAccountImport(platformDb).run(new LegacyAccount("c4c4c4c4c4", "dr.four@example.org", "Dr. Four", List.of())).await();

    legacy.replaceLegacyRole("c4c4c4c4c4").await();
    legacy.endSessions("c4c4c4c4c4").await();

    assertThat(roles("c4c4c4c4c4")).containsExactly("clinician");
    JsonObject ended = platformDb.findOne(EmbeddedLegacyClinicians.ENDED_SESSIONS, new JsonObject().put("_id", "c4c4c4c4c4"), null).await();
    assertThat(ended).isNotNull();
    assertThat(ended.getValue("endedTime")).isNotNull();
    assertThat(directory.find("c4c4c4c4c4").await().email()).isEqualTo("dr.four@example.org");
  }

  @Test
  void anAccountThatIsGoneIsNotFound() {
    assertThat(codeOf(legacy.replaceLegacyRole("0000000404"))).isEqualTo(ServiceError.NOT_FOUND);
    assertThat(codeOf(legacy.endSessions("0000000404"))).isEqualTo(ServiceError.NOT_FOUND);
  }

  private static JsonArray roles(String userId) {
    return platformDb.findOne(EmbeddedUserDirectory.COLLECTION, new JsonObject().put("_id", userId), null).await().getJsonArray("roles");
  }

  private static JsonObject share(String patientId, String clinicianId, String... permissions) {
    JsonObject granted = new JsonObject();
    for (String permission : permissions) {
      granted.put(permission, new JsonObject());
    }
    return new JsonObject().put("_id", EmbeddedLegacyClinicians.shareId(patientId, clinicianId)).put("patientId", patientId)
        .put("clinicianId", clinicianId).put("permissions", granted);
  }

  private static int codeOf(Future<?> call) {
    Throwable failure = call.transform(result -> Future.succeededFuture(result.failed() ? result.cause() : null)).await();
    assertThat(failure).as("the call fails").isInstanceOf(ServiceError.class);
    return ((ServiceError) failure).code();
  }
}
