package org.tidepool.clinic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.app.ClinicApplication;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.ConfigLoader;
import org.tidepool.clinic.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code serve} (default), {@code token}, {@code dlq-replay}. */
@Command(name = "clinic-service", mixinStandardHelpOptions = true,
    description = "Tidepool clinic service on Vert.x",
    subcommands = {Main.Serve.class})
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Set once the service runs: the JVM then lives until SIGTERM instead of exiting. */
  private static volatile boolean serving;

  public static void main(String[] args) {
    int exit = new CommandLine(new Main()).execute(args);
    if (!serving) {
      System.exit(exit);
    }
  }

  /** Without a sub-command the service starts. */
  @Override
  public Integer call() {
    return new Serve().call();
  }

  @Command(name = "serve", description = "Start the service (embedded MongoDB, Kafka and SMTP unless configured)")
  static final class Serve implements Callable<Integer> {
    @Override
    public Integer call() {
      Vertx vertx;
      try {
        vertx = startVertx();
      } catch (ConfigException e) {
        System.err.println("configuration error: " + e.getMessage());
        return 2;
      }
      ClinicApplication app;
      try {
        app = ClinicApplication.start(vertx, new JsonObject()).await(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ConfigException) {
          System.err.println("configuration error: " + cause.getMessage());
        } else {
          LOG.error("start-up failed", cause);
        }
        vertx.close();
        return 1;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("stopping");
        try {
          app.stop().eventually(vertx::close).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("unclean stop", e);
        }
      }, "shutdown"));
      serving = true;
      return 0;
    }
  }

  /** A clustered (Hazelcast) event bus when CLUSTERED is true, so verticles can run in several processes. */
  static Vertx startVertx() {
    boolean clustered = "true".equalsIgnoreCase(System.getenv().getOrDefault("CLUSTERED", "false"));
    VertxOptions options = new VertxOptions();
    if (!clustered) {
      return Vertx.vertx(options);
    }
    try {
      return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager()).buildClustered()
          .await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new ConfigException("CLUSTERED is true but the Hazelcast cluster could not be joined: " + e.getMessage());
    }
  }

  /** Runs a one-shot command that needs the merged configuration. */
  static <T> T withSettings(Function<Settings, Future<T>> command) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, new JsonObject()).map(Settings::new).compose(command).await(1, TimeUnit.MINUTES);
    } finally {
      vertx.close();
    }
  }
}
