package org.tidepool.clinic.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.ClusterMembers;

/**
 * Two processes' worth of the service in one JVM, joined by a Hazelcast-clustered event bus:
 * one runs only the api, the other only the store. A request to the first is served by the
 * second, as when api instances are scaled apart from the workers. Both hold the cluster's
 * certificate ({@link ClusterTlsTest} shows who else is refused).
 */
class ClusteredRolesTest {
  static ClusterMembers cluster;
  static Vertx apiNode;
  static ClinicApplication api;

  @BeforeAll
  static void start(@TempDir Path storeDir, @TempDir Path apiDir, @TempDir Path certificates) throws Exception {
    cluster = new ClusterMembers(certificates, "clinic-test");
    ClusterMembers.Member store = cluster.start(storeDir, new JsonObject().put("ROLES", "store"));
    ClusterMembers.Member apiMember = cluster.start(apiDir, new JsonObject().put("ROLES", "api")
        .put("TIDEPOOL_STORE_ADDRESSES", store.mongoAddress()));
    apiNode = apiMember.vertx();
    api = apiMember.app();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void theApiNodeServesRequestsThroughTheStoreNode() throws Exception {
    WebClient http = WebClient.create(apiNode);
    // the first request opens the mutual-TLS connections between the nodes (one each way)
    long opening = System.nanoTime();
    Eventually.await(apiNode, "the api node is ready", () -> http.get(api.httpPort(), "127.0.0.1", "/ready").send().await().statusCode() == 200);
    System.out.printf("first /ready 200 after %d ms%n", (System.nanoTime() - opening) / 1_000_000);

    String token = DevTokens.load(apiNode, new Settings(api.config())).await().user("cluster001", "c@example.org", "Cluster User");
    var created = http.post(api.httpPort(), "127.0.0.1", "/v1/clinics").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", "Clustered Clinic").put("preferredBgUnits", "mmol/L")).await();
    assertEquals(200, created.statusCode(), created.bodyAsString());

    var members = http.get(api.httpPort(), "127.0.0.1", "/v1/clinics/" + created.bodyAsJsonObject().getString("id") + "/clinicians")
        .putHeader("Authorization", "Bearer " + token).send().await();
    assertEquals("c@example.org", members.bodyAsJsonArray().getJsonObject(0).getString("email"));
  }
}
