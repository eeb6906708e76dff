package org.tidepool.clinic.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.InterruptedStoreTestBase;
import org.tidepool.clinic.store.StoreFixture;

/**
 * TriggerInitialMigration writes the migration and the clinic's {@code isMigrated}: both or
 * neither (D14). Stopped for good after the migration's insert (a process killed there), the
 * restarted store finishes it; refused (another migration of the account), it writes neither.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedMigrationTest extends InterruptedStoreTestBase {

  /** A legacy account's clinic, enabled and with a complete profile, not migrated yet. */
  private String readyClinic(User legacy) {
    String clinicId = store.object("EnableNewClinicExperience", Envelope.server().path("userId", legacy.id())).getString("id");
    store.object("UpdateClinic", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("name", "Legacy Practice").put("address", "1 Main St").put("city", "Springfield").put("state", "CA")
        .put("postalCode", "90000").put("country", "US").put("clinicType", "provider_practice").put("preferredBgUnits", "mg/dL")));
    return clinicId;
  }

  private JsonObject clinicDocument(String clinicId) {
    return store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await();
  }

  private long migrationsOf(String userId) {
    return store.mongo.count(MigrationRepository.COLLECTION, new JsonObject().put("userId", userId)).await();
  }

  @Test
  void anInitialMigrationStoppedAfterItsMigrationIsFinishedAtStartUp() throws Exception {
    store = new StoreFixture(connection).deploy();
    User legacy = store.legacyClinicAccount("aaaa000001", "legacy.one@example.org", "Legacy One");
    String clinicId = readyClinic(legacy);

    store = store.restartedAfterHaltAt("InitialMigration:migration-inserted", "TriggerInitialMigration",
        Envelope.as(legacy.id()).path("clinicId", clinicId).body(new JsonObject().put("attestationSubmitted", true)));

    assertThat(store.mongo.count(IntentLog.COLLECTION, new JsonObject()).await()).as("no unfinished operation").isZero();
    assertThat(migrationsOf(legacy.id())).isEqualTo(1);
    assertThat(clinicDocument(clinicId).getBoolean("isMigrated")).isTrue();
    JsonObject migration = store.object("GetMigration", Envelope.server().path("clinicId", clinicId).path("userId", legacy.id()));
    assertThat(migration.getString("status")).isEqualTo("PENDING");
    assertThat(migration.getString("attestationTime")).isNotNull();
  }

  @Test
  void anInitialMigrationRefusedWritesNeither() {
    store = new StoreFixture(connection).deploy();
    User legacy = store.legacyClinicAccount("aaaa000002", "legacy.two@example.org", "Legacy Two");
    String migrated = readyClinic(legacy);
    String second = readyClinic(legacy);
    store.object("TriggerInitialMigration", Envelope.as(legacy.id()).path("clinicId", migrated).body(new JsonObject()));

    ReplyException refused = store.failure("TriggerInitialMigration", Envelope.as(legacy.id()).path("clinicId", second)
        .body(new JsonObject()));

    assertThat(refused.failureCode()).isEqualTo(409);
    assertThat(migrationsOf(legacy.id())).isEqualTo(1);
    assertThat(clinicDocument(second).getBoolean("isMigrated")).isFalse();
    assertThat(store.mongo.count(IntentLog.COLLECTION, new JsonObject()).await()).isZero();
  }
}
