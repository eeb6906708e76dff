package org.tidepool.clinic.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.migrations.Migration;
import org.tidepool.clinic.migrations.MigrationDocuments;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * A migration that cannot finish ends FAILED with its reason instead of being retried for days:
 * here a PENDING migration of a clinic that does not exist (GetClinic 404), found by the sweep.
 */
@ExtendWith(TestStackExtension.class)
class MigrationFailureTest {
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store,mail,migration").put("MIGRATION_SWEEP_INTERVAL_MS", 200));
  }

  @Test
  void aMigrationOfAClinicThatIsGoneEndsFailedWithTheReason() {
    String clinicId = MongoJson.newId();
    Migration pending = Migration.pending(MongoJson.newId(), clinicId, "fa11ed0001", Instant.now(), null);
    stack.clinicDb().insert("migrations", MigrationDocuments.newDocument(pending)).await();

    JsonObject failed = Eventually.await(stack.vertx(), "the migration failed", () -> {
      JsonObject stored = stack.clinicDb().findOne("migrations", new JsonObject().put("_id", MongoJson.oid(pending.id())), null).await();
      return "FAILED".equals(stored.getString(MigrationDocuments.STATUS)) ? stored : null;
    });
    assertThat(failed.getString(MigrationDocuments.FAILURE_REASON)).isEqualTo("clinic " + clinicId + " not found");
    // not taken up again: a later sweep leaves it FAILED and writes nothing
    stack.vertx().timer(1_000).await();
    JsonObject later = stack.clinicDb().findOne("migrations", new JsonObject().put("_id", MongoJson.oid(pending.id())), null).await();
    assertThat(later).isEqualTo(failed);
  }
}
