package org.tidepool.clinic.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.MongoSettings;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.testing.Namespace;
import org.tidepool.clinic.testing.PackagedDefaults;
import org.tidepool.clinic.testing.SharedServers;
import org.tidepool.clinic.testing.TestCertificates;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * Who may talk to a clustered store. The store trusts the caller named in each event-bus
 * message, so only members holding a certificate of the cluster's trust get a message to it:
 * such a member creates a clinic; a member with a certificate of another CA is not in the
 * cluster at all; an intruder that knows the Hazelcast cluster name and joins the membership
 * still cannot complete the event bus's mutual-TLS handshake, with or without a certificate of its
 * own. The refused requests fail and write nothing.
 */
@ExtendWith(TestStackExtension.class)
class ClusterTlsTest {
  private static final String CLUSTER_NAME = "clinic-tls-test-" + ProcessHandle.current().pid();
  /** The first request between two members opens a mutual-TLS connection each way: seconds on a cold JVM. */
  private static final long REQUEST_TIMEOUT_MS = 15_000;
  private static final String CALLER = "0123456789";

  static TestCertificates cluster;
  static TestCertificates otherCa;
  static Vertx storeNode;
  static ClinicApplication store;
  static MongoClient clinicDb;

  @BeforeAll
  static void start(TestStacks stacks, @TempDir Path certificates, @TempDir Path dataDir) throws Exception {
    cluster = TestCertificates.selfSigned(certificates, "cluster");
    otherCa = TestCertificates.selfSigned(certificates, "other");
    SharedServers servers = stacks.servers();
    Namespace namespace = servers.newNamespace(ClusterTlsTest.class);
    storeNode = Clustering.vertx(pkcs12(cluster)).await(1, TimeUnit.MINUTES);
    store = ClinicApplication.start(storeNode, namespace.config().put("ROLES", "store").put("DATA_DIR", dataDir.toString())
        .put("TIDEPOOL_STORE_ADDRESSES", servers.mongoAddress())).await(1, TimeUnit.MINUTES);
    clinicDb = MongoClient.create(storeNode, MongoSettings.clientConfig("mongodb://" + servers.mongoAddress(), namespace.clinicDatabase()));
    // the embedded user directory knows the caller (the api remembers the users of its tokens there)
    MongoClient platformDb = MongoClient.create(storeNode,
        MongoSettings.clientConfig("mongodb://" + servers.mongoAddress(), namespace.platformDatabase()));
    platformDb.save("users", new JsonObject().put("_id", CALLER).put("email", "tls@example.org").put("fullName", "Tess Tls"))
        .eventually(platformDb::close).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (clinicDb != null) {
      clinicDb.close();
    }
    if (store != null) {
      store.stop().await(1, TimeUnit.MINUTES);
    }
    if (storeNode != null) {
      storeNode.close().await(1, TimeUnit.MINUTES);
    }
  }

  private static JsonObject clusterNode() {
    return new JsonObject().put("CLUSTERED", true).put("CLUSTER_NAME", CLUSTER_NAME).put("CLUSTER_HOST", "127.0.0.1")
        .put("CLUSTER_PORT", 5701).put("CLUSTER_MEMBERS", "127.0.0.1");
  }

  private static Settings pkcs12(TestCertificates certificates) {
    return PackagedDefaults.settings(clusterNode()
        .put("CLUSTER_TLS_KEYSTORE_PATH", certificates.keyStore().toString())
        .put("CLUSTER_TLS_KEYSTORE_PASSWORD", certificates.password())
        .put("CLUSTER_TLS_TRUSTSTORE_PATH", certificates.trustStore().toString())
        .put("CLUSTER_TLS_TRUSTSTORE_PASSWORD", certificates.password()));
  }

  private static Settings pem(TestCertificates certificates) {
    return PackagedDefaults.settings(clusterNode()
        .put("CLUSTER_TLS_KEYSTORE_TYPE", "PEM").put("CLUSTER_TLS_KEYSTORE_PATH", certificates.certificatePem().toString())
        .put("CLUSTER_TLS_KEY_PATH", certificates.privateKeyPem().toString())
        .put("CLUSTER_TLS_TRUSTSTORE_TYPE", "PEM").put("CLUSTER_TLS_TRUSTSTORE_PATH", certificates.certificatePem().toString()));
  }

  @Test
  void aMemberWithTheClustersCertificateInPemCreatesAClinicInTheStore() throws Exception {
    Vertx member = Clustering.vertx(pem(cluster)).await(1, TimeUnit.MINUTES);
    try {
      String name = "Trusted Clinic " + UUID.randomUUID();
      JsonObject created = (JsonObject) createClinic(member, name).await(REQUEST_TIMEOUT_MS + 5000, TimeUnit.MILLISECONDS);
      assertThat(created.getString("name")).isEqualTo(name);
      assertThat(clinicsNamed(name)).isEqualTo(1);
    } finally {
      member.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void aMemberTrustingAnotherCaIsNotInTheClusterAndWritesNothing() throws Exception {
    Vertx outsider = Clustering.vertx(pkcs12(otherCa)).await(1, TimeUnit.MINUTES);
    try {
      assertRefused(outsider);
    } finally {
      outsider.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void anIntruderThatJoinsTheMembershipWithAnotherCertificateCannotSend() throws Exception {
    Settings intruder = pkcs12(otherCa);
    Vertx joined = Clustering.vertx(intruder, ClusterTls.from(intruder), clustersHazelcastName()).await(1, TimeUnit.MINUTES);
    try {
      assertThat(joined.isClustered()).isTrue();
      assertRefused(joined);
    } finally {
      joined.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void anIntruderThatJoinsTheMembershipWithoutTlsCannotSend() throws Exception {
    Vertx joined = Clustering.vertx(PackagedDefaults.settings(clusterNode()), null, clustersHazelcastName()).await(1, TimeUnit.MINUTES);
    try {
      assertRefused(joined);
    } finally {
      joined.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void clusteredWithoutTlsMaterialRefusesToStartUnlessExplicitlyInsecure() {
    assertThatThrownBy(() -> Clustering.vertx(PackagedDefaults.settings(clusterNode())).await(1, TimeUnit.MINUTES))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CLUSTER_TLS_KEYSTORE_PATH").hasMessageContaining("CLUSTER_INSECURE");
    assertThat(ClusterTls.from(PackagedDefaults.settings(clusterNode().put("CLUSTER_INSECURE", true)))).isNull();
    assertThatThrownBy(() -> ClusterTls.from(PackagedDefaults.settings(clusterNode()
        .put("CLUSTER_TLS_KEYSTORE_PATH", cluster.keyStore().toString()).put("CLUSTER_TLS_TRUSTSTORE_PATH", cluster.trustStore().toString())
        .put("CLUSTER_TLS_TRUSTSTORE_PASSWORD", "wrong"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CLUSTER_TLS_TRUSTSTORE_PASSWORD");
  }

  private static String clustersHazelcastName() {
    return Clustering.hazelcastClusterName(CLUSTER_NAME, ClusterTls.from(pkcs12(cluster)));
  }

  private static void assertRefused(Vertx node) throws Exception {
    String name = "Intruder Clinic " + UUID.randomUUID();
    Future<Object> sent = createClinic(node, name);
    assertThatThrownBy(() -> sent.await(REQUEST_TIMEOUT_MS + 5000, TimeUnit.MILLISECONDS)).as("the request is refused").isNotNull();
    assertThat(clinicsNamed(name)).as("clinics written by a refused request").isZero();
  }

  private static Future<Object> createClinic(Vertx node, String name) {
    JsonObject envelope = Envelope.as(CALLER).body(new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL"));
    DeliveryOptions options = Actions.action("CreateClinic").setSendTimeout(REQUEST_TIMEOUT_MS);
    return node.eventBus().request(Catalogue.addressOf("CreateClinic"), envelope, options).map(Message::body);
  }

  private static long clinicsNamed(String name) throws Exception {
    return clinicDb.count("clinics", new JsonObject().put("name", name)).await(30, TimeUnit.SECONDS);
  }
}
