package org.tidepool.clinic.patientlist;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterAll;

/** The patient list's semantics on the embedded MongoDB wire server (mongo-java-server: no collation, the stored name key). */
class EmbeddedPatientListTest extends PatientListSemanticsTestBase {
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
