package org.tidepool.clinic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.PatientAccounts;

/** The same store rules against a real MongoDB 7 replica set; skipped where Docker is not available. */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoStoreRulesTest extends StoreRulesTestBase {
  @Container
  static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7").withReplicaSet();

  @Override
  protected String connectionString() {
    return MONGO.getReplicaSetUrl();
  }

  /** Real MongoDB has the partial unique MRN index: it refuses a duplicate MRN written past the service's check. */
  @Test
  void theUniqueMrnIndexIsTheBackstop() {
    JsonObject clinic = MongoJson.oid(MongoJson.newId());
    Function<String, JsonObject> patient = userId -> new JsonObject()
        .put("clinicId", clinic).put("userId", userId).put("mrn", "X1").put("requireUniqueMrn", true);
    store.mongo.insert("patients", patient.apply("a1a1a1a1a1")).await();
    assertThatThrownBy(() -> store.mongo.insert("patients", patient.apply("b2b2b2b2b2")).await());
    // without the flag (a clinic that does not ask for unique MRNs) the same MRN is fine
    store.mongo.insert("patients", patient.apply("c3c3c3c3c3").put("requireUniqueMrn", false)).await();
  }

  /**
   * Real MongoDB refuses an index whose key exists in another form (mongo-java-server takes it):
   * a platform database whose users have a unique username index still takes custodial accounts.
   */
  @Test
  void anExistingIndexOfAnotherFormOnTheEmailFieldsServesTheCheck() {
    store.platform.createIndexWithOptions("users", new JsonObject().put("username", 1), new IndexOptions().unique(true).sparse(true))
        .await();
    String userId = store.users.createCustodialUser(MongoJson.newId(), "Indexed@Example.org").await();

    assertThat(store.platform.findOne("users", new JsonObject().put("_id", userId), null).await().getString("username"))
        .isEqualTo("indexed@example.org");
    assertThatThrownBy(() -> store.users.createCustodialUser(MongoJson.newId(), "indexed@example.org").await())
        .hasMessageContaining(PatientAccounts.EMAIL_TAKEN);
  }
}
