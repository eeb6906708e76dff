package org.tidepool.clinic.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.ops.Metrics;

/**
 * The Vert.x instance: local, or with an event bus clustered by Hazelcast when {@code CLUSTERED}
 * is true, so that api, store, cdc and mail verticles can run in separate processes. Members
 * find each other over TCP/IP ({@code CLUSTER_MEMBERS}); without a member list Hazelcast's
 * default discovery (multicast) applies. The event bus is mutual TLS ({@link ClusterTls}); the
 * Hazelcast cluster name is {@code CLUSTER_NAME} plus a digest of the trusted certificates, so
 * that members of different trust do not even join each other (Hazelcast OSS itself has no TLS
 * or authentication: see docs/design.md for what that leaves open).
 */
public final class Clustering {
  private Clustering() {}

  /** With metrics ({@link Metrics}) when {@code METRICS_ENABLED}. */
  public static Future<Vertx> vertx(Settings settings) {
    if (!settings.bool("CLUSTERED")) {
      return Future.succeededFuture(Metrics.builder(new VertxOptions(), settings.bool("METRICS_ENABLED")).build());
    }
    ClusterTls tls;
    try {
      tls = ClusterTls.from(settings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx(settings, tls, hazelcastClusterName(settings.required("CLUSTER_NAME"), tls));
  }

  /** A clustered Vert.x with this event-bus TLS (null: plain) in the Hazelcast cluster of this name. */
  static Future<Vertx> vertx(Settings settings, ClusterTls tls, String hazelcastClusterName) {
    String host = settings.required("CLUSTER_HOST");
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(host).setPort(0);
    if (tls != null) {
      tls.applyTo(options.getEventBusOptions());
    }
    Metrics.Builder builder = Metrics.builder(options, settings.bool("METRICS_ENABLED"));
    return new Metrics.Builder(builder.vertx()
        .withClusterManager(new HazelcastClusterManager(hazelcast(hazelcastClusterName, host,
            settings.port("CLUSTER_PORT"), settings.list("CLUSTER_MEMBERS")))), builder.registry())
        .buildClustered();
  }

  static String hazelcastClusterName(String clusterName, ClusterTls tls) {
    return tls == null ? clusterName : clusterName + "-" + tls.trustFingerprint().substring(0, 16);
  }

  static final int CP_SESSION_TTL_SECONDS = 10;

  static Config hazelcast(String clusterName, String host, int port, List<String> members) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // for CP data structures (sessions of 10 s instead of 5 min). The clinic's lock is not one: with
    // vertx-hazelcast 5 it is a map lock (intents.ClinicLock), which Hazelcast releases when its
    // member leaves the cluster (a member that died: once its heartbeats are missed)
    config.getCPSubsystemConfig().setSessionTimeToLiveSeconds(CP_SESSION_TTL_SECONDS).setSessionHeartbeatIntervalSeconds(2);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(host);
    if (!members.isEmpty()) {
      config.setProperty("hazelcast.wait.seconds.before.join", "0");
      config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    return config;
  }
}
