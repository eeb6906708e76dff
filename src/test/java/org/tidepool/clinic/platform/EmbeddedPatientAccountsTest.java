package org.tidepool.clinic.platform;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.tidepool.clinic.intents.ClinicLock;

/** The embedded user directory keeps custodial accounts and profiles in the platform database. */
class EmbeddedPatientAccountsTest extends PatientAccountsBehaviour {
  private MongoServer server;
  private Vertx vertx;
  private MongoClient mongo;
  private EmbeddedUserDirectory directory;

  @BeforeEach
  void start() {
    server = new MongoServer(new MemoryBackend());
    int port = server.bind().getPort();
    vertx = Vertx.vertx();
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + port).put("db_name", "platform"));
    directory = new EmbeddedUserDirectory(mongo, new ClinicLock(vertx));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    server.shutdownNow();
  }

  @Override
  PatientAccounts accounts() {
    return directory;
  }

  @Override
  void emailTaken(String email) {
    directory.remember(new User("fedcba9876", email, "Someone Else")).await();
  }

  @Override
  void accountExists(String userId, String username, JsonObject profile) {
    mongo.insert(EmbeddedUserDirectory.COLLECTION, new JsonObject().put("_id", userId).put("username", username).put("profile", profile))
        .await();
  }

  @Override
  String emailOf(String userId) {
    JsonObject account = mongo.findOne(EmbeddedUserDirectory.COLLECTION, new JsonObject().put("_id", userId), null).await();
    return account.getString("username");
  }
}
