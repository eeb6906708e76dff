package org.tidepool.clinic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.testing.HttpAssertions.assertError;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.infra.EmbeddedMongo;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * MongoDB goes away under a running service: callers get 503 with a JSON body and /ready says
 * 503; once it is back, the data written before is still there and the service is ready again.
 * The class stops its MongoDB, so it runs one of its own rather than the shared one.
 */
@ExtendWith(TestStackExtension.class)
class DatabaseOutageTest {
  @TempDir
  static Path mongoDir;

  static EmbeddedMongo mongo;
  static TestStack stack;
  static int port;

  @BeforeAll
  static void start(TestStacks stacks) {
    mongo = EmbeddedMongo.onDisk(mongoDir, 0);
    port = mongo.port();
    stack = stacks.start(new JsonObject().put("ROLES", "api,store")
        .put("TIDEPOOL_STORE_ADDRESSES", "127.0.0.1:" + port)
        .put("TIDEPOOL_STORE_OPT_PARAMS", "serverSelectionTimeoutMS=500&connectTimeoutMS=500"));
  }

  @AfterAll
  static void stop() {
    stack.close();
    mongo.close();
  }

  @Test
  void anOutageIsServiceUnavailableAndLosesNothing() {
    String token = stack.userToken("outage0001", "outage@example.org", "Outage Tester");
    String clinicId = stack.http().post("/v1/clinics").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", "Outage Clinic").put("preferredBgUnits", "mg/dL"))
        .await().bodyAsJsonObject().getString("id");

    mongo.close();
    assertError(get(token, "/v1/clinics/" + clinicId), 503, "database is unavailable");
    assertThat(stack.http().get("/ready").send().await().statusCode()).isEqualTo(503);

    mongo = EmbeddedMongo.onDisk(mongoDir, port);
    var clinic = get(token, "/v1/clinics/" + clinicId);
    assertThat(clinic.statusCode()).as(clinic.bodyAsString()).isEqualTo(200);
    assertThat(clinic.bodyAsJsonObject().getString("name")).isEqualTo("Outage Clinic");
    assertThat(stack.http().get("/ready").send().await().statusCode()).isEqualTo(200);
  }

  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> get(String token, String path) {
    return stack.http().get(path).putHeader("Authorization", "Bearer " + token).send().await();
  }
}
