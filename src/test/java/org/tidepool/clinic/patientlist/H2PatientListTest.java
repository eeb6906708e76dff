package org.tidepool.clinic.patientlist;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.infra.EmbeddedMongo;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * The patient list's semantics on the embedded store as the service runs it: mongo-java-server on
 * its H2 file, whose non-unique indexes give a clinic's patients without a scan. Another clinic's
 * patients, copies of the listed ones, must never show.
 */
class H2PatientListTest extends PatientListSemanticsTestBase {
  @TempDir
  static Path directory;
  private EmbeddedMongo mongo;

  @Override
  protected String connectionString() {
    mongo = EmbeddedMongo.onDisk(directory, 0);
    return mongo.connectionString();
  }

  @BeforeAll
  void seedAnotherClinic() {
    String otherClinic = MongoJson.newId();
    for (JsonObject patient : store.mongo.find("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId))).await()) {
      store.mongo.insert("patients", patient.copy().put("_id", MongoJson.oid(MongoJson.newId())).put("clinicId", MongoJson.oid(otherClinic)))
          .await();
    }
  }

  @AfterAll
  void stopServer() {
    if (mongo != null) {
      mongo.close();
    }
  }
}
