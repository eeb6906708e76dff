package org.tidepool.clinic.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterAll;

/** The store rules against the embedded MongoDB wire server (mongo-java-server). */
class EmbeddedMongoStoreRulesTest extends StoreRulesTestBase {
  private MongoServer server;

  @Override
  protected String connectionString() {
    server = new MongoServer(new MemoryBackend());
    return "mongodb://127.0.0.1:" + server.bind().getPort();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.shutdownNow();
    }
  }
}
