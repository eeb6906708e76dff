package org.tidepool.clinic.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka 4 broker (one combined KRaft broker + controller node) in this JVM, its log under
 * a directory so topics and committed offsets survive restarts. Blocking: call it from a worker
 * thread. {@link #stop()} and {@link #start()} may be repeated; the ports stay the same so
 * clients reconnect by themselves.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final Path directory;
  private final int brokerPort;
  private final int controllerPort;
  private final Listener extra;
  private KafkaRaftServer server;

  /**
   * A further client listener beside the PLAINTEXT one (which stays the inter-broker listener),
   * e.g. SASL_SSL to test secured clients.
   *
   * @param properties broker properties of that listener, such as
   *                   {@code listener.name.<name>.ssl.keystore.location}
   */
  public record Listener(String name, String protocol, int port, Map<String, String> properties) {
    public String bootstrapServers() {
      return "127.0.0.1:" + port;
    }
  }

  private EmbeddedKafka(Path directory, int brokerPort, int controllerPort, Listener extra) {
    this.directory = directory;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.extra = extra;
  }

  /** Formats the directory when new and starts the broker; port 0 picks a free port. */
  public static EmbeddedKafka start(Path directory, int brokerPort) {
    return start(directory, brokerPort, null);
  }

  /** As {@link #start(Path, int)}, with a further listener (its port 0 picks a free port). */
  public static EmbeddedKafka start(Path directory, int brokerPort, Listener extra) {
    Listener listener = extra == null || extra.port() != 0 ? extra
        : new Listener(extra.name(), extra.protocol(), freePort(), extra.properties());
    EmbeddedKafka kafka = new EmbeddedKafka(directory, brokerPort == 0 ? freePort() : brokerPort, freePort(), listener);
    kafka.start();
    return kafka;
  }

  /** The further listener, with its port; null without one. */
  public Listener listener() {
    return extra;
  }

  public synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the embedded Kafka directory " + directory, e);
    }
    Properties properties = brokerProperties();
    format();
    KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(properties), Time.SYSTEM);
    started.startup();
    server = started;
    awaitReady();
  }

  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  @Override
  public void close() {
    stop();
  }

  private Properties brokerProperties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", directory.toString());
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    if (extra != null) {
      String name = extra.name().toUpperCase();
      p.put("listeners", p.get("listeners") + "," + name + "://127.0.0.1:" + extra.port());
      p.put("advertised.listeners", p.get("advertised.listeners") + "," + name + "://127.0.0.1:" + extra.port());
      p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + "," + name + ":" + extra.protocol());
      p.putAll(extra.properties());
    }
    // After a kill -9 the restarted controller still counts the dead broker incarnation as alive
    // until its session expires, and refuses the new one (DUPLICATE_BROKER_REGISTRATION): with the
    // default 9 s that wait was most of the restart. Broker and controller share this JVM, so a
    // short session fences nobody by mistake; log recovery itself takes well under a second here.
    p.put("broker.session.timeout.ms", "2000");
    p.put("broker.heartbeat.interval.ms", "400");
    return p;
  }

  private void format() {
    if (Files.exists(directory.resolve("meta.properties"))) {
      return;
    }
    try {
      new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(directory.toString())
          .setDirectories(List.of(directory.toString()))
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the embedded Kafka log directory " + directory, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      while (true) {
        try {
          admin.describeCluster().nodes().get();
          return;
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("embedded Kafka did not become ready in " + READY_TIMEOUT, notYet);
          }
          Thread.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
