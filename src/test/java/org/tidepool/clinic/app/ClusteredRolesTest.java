package org.tidepool.clinic.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestCertificates;

/**
 * Two processes' worth of the service in one JVM, joined by a Hazelcast-clustered event bus:
 * one runs only the api, the other only the store. A request to the first is served by the
 * second, as when api instances are scaled apart from the workers. Both hold the cluster's
 * certificate ({@link ClusterTlsTest} shows who else is refused).
 */
class ClusteredRolesTest {
  static Vertx storeNode;
  static Vertx apiNode;
  static ClinicApplication store;
  static ClinicApplication api;

  static TestCertificates cluster;

  @BeforeAll
  static void start(@TempDir Path storeDir, @TempDir Path apiDir, @TempDir Path certificates) throws Exception {
    cluster = TestCertificates.selfSigned(certificates, "cluster");
    storeNode = Clustering.vertx(clusterSettings()).await(1, TimeUnit.MINUTES);
    store = ClinicApplication.start(storeNode, node(storeDir).put("ROLES", "store")).await(1, TimeUnit.MINUTES);
    String mongoAddress = store.config().getJsonObject("mongo").getString("connection_string").replace("mongodb://", "");

    apiNode = Clustering.vertx(clusterSettings()).await(1, TimeUnit.MINUTES);
    api = ClinicApplication.start(apiNode, node(apiDir).put("ROLES", "api")
        .put("TIDEPOOL_STORE_ADDRESSES", mongoAddress)).await(1, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stop() throws Exception {
    api.stop().eventually(apiNode::close).await(1, TimeUnit.MINUTES);
    store.stop().eventually(storeNode::close).await(1, TimeUnit.MINUTES);
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

  /** Both members hold the cluster's certificate (the event bus is mutual TLS). */
  private static Settings clusterSettings() {
    return new Settings(new JsonObject().put("CLUSTERED", true).put("CLUSTER_NAME", "clinic-test-" + ProcessHandle.current().pid())
        .put("CLUSTER_HOST", "127.0.0.1").put("CLUSTER_PORT", 5701).put("CLUSTER_MEMBERS", "127.0.0.1")
        .mergeIn(cluster.clusterSettings()));
  }

  private static JsonObject node(Path dataDir) {
    return new JsonObject().put("DATA_DIR", dataDir.toString()).put("HTTP_HOST", "127.0.0.1").put("HTTP_PORT", 0)
        .put("HTTP_INSTANCES", 1).put("EMBEDDED_MONGO_PORT", 0).put("JWT_SECRET", "cluster-test-secret-0123456789abcdef");
  }
}
