package org.tidepool.clinic.cdc.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.infra.EmbeddedMongo;

/**
 * With EMBEDDED_MONGO_PORT = 0 (the default: the service took any free port) the command opens the
 * embedded store's files under DATA_DIR when no service holds them, and says what to do when one does.
 */
@ExtendWith(VertxExtension.class)
class ParkedCommandEmbeddedFilesTest {
  @TempDir
  Path directory;

  @Test
  void theCommandReadsTheFilesOfAStoppedServiceAndNamesThePortSettingWhileOneRuns(Vertx vertx) throws Exception {
    Path mongoFiles = directory.resolve("data").resolve("mongo");
    EmbeddedMongo running = EmbeddedMongo.onDisk(mongoFiles, 0);
    String recordId = new ObjectId().toHexString();
    String clinicId = new ObjectId().toHexString();
    MongoClient mongo = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", running.connectionString()).put("db_name", "clinic"));
    JsonObject record = new JsonObject().put("_id", new JsonObject().put("$oid", recordId)).put("state", "ready")
        .put("coll", "clinicians").put("operationType", "delete")
        .put("documentKey", new JsonObject().put("_id", new JsonObject().put("$oid", clinicId)));
    mongo.insert(ChangeRecorder.COLLECTION, record).await();
    new ParkedRecords(mongo).park(record, new RecordTooLargeException("too large")).await();
    mongo.close().await();

    Map<String, String> embeddedAnyPort = Map.of("EMBEDDED_MONGO_PORT", "0");
    CommandRun whileRunning = CommandRun.of(directory, embeddedAnyPort, "parked", "list");
    running.close();
    assertThat(whileRunning.exit()).as(whileRunning.toString()).isEqualTo(1);
    assertThat(whileRunning.stderr()).contains("in use by a running service").contains("EMBEDDED_MONGO_PORT");

    CommandRun stopped = CommandRun.of(directory, embeddedAnyPort, "parked", "list");
    assertThat(stopped.exit()).as(stopped.toString()).isZero();
    assertThat(stopped.stdout()).contains(recordId + "  clinicians  " + clinicId + "  delete  ").contains("too large");
  }
}
