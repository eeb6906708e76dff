package org.tidepool.clinic.store;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

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
  @org.junit.jupiter.api.Test
  void theUniqueMrnIndexIsTheBackstop() {
    io.vertx.core.json.JsonObject clinic = new io.vertx.core.json.JsonObject().put("$oid", org.tidepool.clinic.mongo.MongoJson.newId());
    java.util.function.Function<String, io.vertx.core.json.JsonObject> patient = userId -> new io.vertx.core.json.JsonObject()
        .put("clinicId", clinic).put("userId", userId).put("mrn", "X1").put("requireUniqueMrn", true);
    store.mongo.insert("patients", patient.apply("a1a1a1a1a1")).await();
    org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> store.mongo.insert("patients", patient.apply("b2b2b2b2b2")).await());
    // without the flag (a clinic that does not ask for unique MRNs) the same MRN is fine
    store.mongo.insert("patients", patient.apply("c3c3c3c3c3").put("requireUniqueMrn", false)).await();
  }
}
