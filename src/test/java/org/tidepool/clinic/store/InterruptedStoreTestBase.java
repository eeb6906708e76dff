package org.tidepool.clinic.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of the halt-then-restart tests: a MongoDB server of the class's own (the stores they
 * start and kill share it), and the store under test, closed after each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class InterruptedStoreTestBase {
  private MongoServer server;
  protected String connection;
  protected StoreFixture store;

  @BeforeAll
  void startServer() {
    server = new MongoServer(new MemoryBackend());
    connection = "mongodb://127.0.0.1:" + server.bind().getPort();
  }

  @AfterAll
  void stopServer() {
    server.shutdownNow();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }
}
