package org.tidepool.clinic.patientlist;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.tidepool.clinic.store.StoreFixture;

/** A store on an in-memory mongo-java-server of its own, for the tests of one class. */
final class EmbeddedStore implements AutoCloseable {
  final MongoServer server = new MongoServer(new MemoryBackend());
  final StoreFixture store = new StoreFixture("mongodb://127.0.0.1:" + server.bind().getPort()).deploy();

  @Override
  public void close() {
    store.close();
    server.shutdownNow();
  }
}
