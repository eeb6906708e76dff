package org.tidepool.clinic.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Two clustered Vert.x instances (Hazelcast on loopback, a cluster of their own): two processes'
 * worth of a verticle or a lock in one JVM, without the whole service ({@link ClusterMembers}).
 */
public final class HazelcastPair implements AutoCloseable {
  private final Vertx first;
  private final Vertx second;

  /** {@code workerPoolSize}: the workers of each member (Vert.x's default when 0). */
  public HazelcastPair(String name, int workerPoolSize) {
    String cluster = name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    HazelcastClusterManager firstManager = new HazelcastClusterManager(config(cluster, "127.0.0.1"));
    first = member(firstManager, workerPoolSize);
    // by the first member's own port: the ports Hazelcast tries by default may be other clusters' (other test JVMs)
    HazelcastClusterManager secondManager = new HazelcastClusterManager(config(cluster,
        "127.0.0.1:" + firstManager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort()));
    second = member(secondManager, workerPoolSize);
    if (secondManager.getHazelcastInstance().getCluster().getMembers().size() != 2) {
      throw new IllegalStateException("the second member did not join the first");
    }
  }

  public Vertx first() {
    return first;
  }

  public Vertx second() {
    return second;
  }

  private static Vertx member(HazelcastClusterManager clusterManager, int workerPoolSize) {
    VertxOptions options = new VertxOptions();
    if (workerPoolSize > 0) {
      options.setWorkerPoolSize(workerPoolSize);
    }
    return Vertx.builder().with(options).withClusterManager(clusterManager).buildClustered().await();
  }

  private static Config config(String cluster, String joining) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember(joining);
    return config;
  }

  @Override
  public void close() {
    second.close().await();
    first.close().await();
  }
}
