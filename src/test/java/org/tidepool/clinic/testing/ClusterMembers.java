package org.tidepool.clinic.testing;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tidepool.clinic.app.ClinicApplication;
import org.tidepool.clinic.app.Clustering;
import org.tidepool.clinic.config.Settings;

/**
 * Several processes' worth of the service in one JVM, each a clustered Vert.x (Hazelcast, mutual
 * TLS with one test certificate) running the roles it is given; closed in reverse order.
 */
public final class ClusterMembers implements AutoCloseable {
  public static final String JWT_SECRET = "cluster-test-secret-0123456789abcdef";

  private final TestCertificates certificate;
  private final String clusterName;
  private final List<Member> members = new ArrayList<>();

  /** One member: its Vert.x and the service it runs. */
  public record Member(Vertx vertx, ClinicApplication app) {
    /** {@code host:port} of the MongoDB this member uses, as {@code TIDEPOOL_STORE_ADDRESSES} takes it. */
    public String mongoAddress() {
      return app.config().getJsonObject("mongo").getString("connection_string").replace("mongodb://", "");
    }
  }

  public ClusterMembers(Path certificates, String name) {
    this.certificate = TestCertificates.selfSigned(certificates, "cluster");
    this.clusterName = name + "-" + ProcessHandle.current().pid();
  }

  /**
   * The settings of a member holding the cluster's certificate. Members after the first join it by
   * its own port: Hazelcast tries only 5701-5703 for an address without one, and those may be
   * other test JVMs' clusters (a member then stays alone in a cluster of its own).
   */
  public Settings clusterSettings() {
    String join = members.isEmpty() ? "127.0.0.1" : "127.0.0.1:" + ((HazelcastClusterManager) ((VertxInternal) members.get(0).vertx())
        .clusterManager()).getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
    return new Settings(new JsonObject().put("CLUSTERED", true).put("CLUSTER_NAME", clusterName)
        .put("CLUSTER_HOST", "127.0.0.1").put("CLUSTER_PORT", 5701).put("CLUSTER_MEMBERS", join)
        .mergeIn(certificate.clusterSettings()));
  }

  /** Starts a member with its data in {@code dataDir}, on loopback and free ports, then the overrides (ROLES, ...). */
  public Member start(Path dataDir, JsonObject overrides) throws Exception {
    Vertx vertx = Clustering.vertx(clusterSettings()).await(1, TimeUnit.MINUTES);
    JsonObject settings = new JsonObject().put("DATA_DIR", dataDir.toString()).put("HTTP_HOST", "127.0.0.1").put("HTTP_PORT", 0)
        .put("HTTP_INSTANCES", 1).put("EMBEDDED_MONGO_PORT", 0).put("JWT_SECRET", JWT_SECRET).mergeIn(overrides);
    try {
      Member member = new Member(vertx, ClinicApplication.start(vertx, settings).await(1, TimeUnit.MINUTES));
      members.add(member);
      return member;
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = members.size() - 1; i >= 0; i--) {
      Member member = members.get(i);
      member.app().stop().eventually(member.vertx()::close).await(1, TimeUnit.MINUTES);
    }
    members.clear();
  }
}
