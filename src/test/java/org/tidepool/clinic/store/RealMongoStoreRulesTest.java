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
}
