package org.tidepool.clinic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.app.ClinicApplication;
import org.tidepool.clinic.app.Clustering;
import org.tidepool.clinic.cdc.consumer.DeadLetterReplay;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.ConfigLoader;
import org.tidepool.clinic.config.Secrets;
import org.tidepool.clinic.config.LogFormat;
import org.tidepool.clinic.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: {@code serve} (default), {@code token}, {@code dlq-replay}, {@code parked}, {@code config}, {@code import-legacy}. */
@Command(name = "clinic-service", mixinStandardHelpOptions = true,
    description = "Tidepool clinic service on Vert.x",
    subcommands = {Main.Serve.class, Main.Token.class, Main.DeadLetterReplayCommand.class, ParkedCommand.class,
        Main.ConfigCommand.class, LegacyImportCommand.class})
public final class Main implements Callable<Integer> {
  static {
    // before the first logger: log4j2.xml picks JSON or text by it
    LogFormat.apply();
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Set once the service runs: the JVM then lives until SIGTERM instead of exiting. */
  private static volatile boolean serving;
  private static final long STOP_MARGIN_MS = 10_000;

  public static void main(String[] args) {
    int exit = new CommandLine(new Main())
        .setExecutionExceptionHandler((failure, command, parsed) -> {
          Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
              ? failure.getCause() : failure;
          System.err.println(command.getCommandName() + ": " + cause.getMessage());
          return 1;
        })
        .execute(args);
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
      Settings settings;
      Vertx vertx;
      try {
        settings = withSettings((bootstrap, loaded) -> Future.succeededFuture(loaded));
        vertx = Clustering.vertx(settings).await(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        Throwable cause = e.getCause() instanceof ConfigException ? e.getCause() : e;
        System.err.println("configuration error: " + cause.getMessage());
        return 2;
      }
      ClinicApplication app;
      try {
        app = ClinicApplication.start(vertx, settings).await(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ConfigException) {
          System.err.println("configuration error: " + cause.getMessage());
        } else {
          LOG.debug("start-up failed", cause);
          System.err.println("start-up failed: " + cause);
        }
        vertx.close();
        return 1;
      }
      // SIGTERM: the application drains within SHUTDOWN_TIMEOUT_MS; the margin is for closing
      // the embedded servers and Vert.x after it
      long drainMs = settings.integer("SHUTDOWN_TIMEOUT_MS");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        long started = System.nanoTime();
        LOG.info("stopping (in-flight work gets up to {} ms)", drainMs);
        try {
          app.stop().eventually(vertx::close).await(drainMs + STOP_MARGIN_MS, TimeUnit.MILLISECONDS);
          LOG.info("stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
          LOG.warn("unclean stop", e);
        }
      }, "shutdown"));
      serving = true;
      return 0;
    }
  }

  @Command(name = "token", description = "Print a development token (jwt auth mode) signed with this service's key")
  static final class Token implements Callable<Integer> {
    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    static final class Subject {
      @Option(names = "--server", description = "a service token (claim server: true)")
      boolean server;

      @CommandLine.ArgGroup(exclusive = false)
      UserClaims user;
    }

    static final class UserClaims {
      @Option(names = "--user", required = true, description = "user id (claim sub)")
      String id;

      @Option(names = "--email", required = true, description = "the user's email")
      String email;

      @Option(names = "--name", required = true, description = "the user's full name")
      String name;
    }

    @Override
    public Integer call() throws Exception {
      String token = withSettings((vertx, settings) -> DevTokens.load(vertx, settings).map(tokens -> subject.server
          ? tokens.server()
          : tokens.user(subject.user.id, subject.user.email, subject.user.name)));
      System.out.println(token);
      return 0;
    }
  }

  @Command(name = "dlq-replay", description = "Re-publish the dead-letter topic's records to their original topics")
  static final class DeadLetterReplayCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      int replayed = withSettings((vertx, settings) -> DeadLetterReplay.replay(vertx, withEmbeddedKafka(settings)));
      System.out.println("replayed " + replayed + " dead letter(s)");
      return 0;
    }

    /** Without KAFKA_BROKERS, the broker is the one a running {@code serve} embeds. */
    private static Settings withEmbeddedKafka(Settings settings) {
      if (!settings.string("KAFKA_BROKERS").isEmpty()) {
        return settings;
      }
      return new Settings(settings.raw().copy().put("KAFKA_BROKERS", "127.0.0.1:" + settings.port("EMBEDDED_KAFKA_PORT")));
    }
  }

  @Command(name = "config", description = "Print the effective configuration serve would use (secrets masked)")
  static final class ConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      JsonObject effective = withSettings((vertx, settings) -> Future.succeededFuture(Secrets.masked(settings.raw())));
      effective.forEach(entry -> System.out.println(entry.getKey() + "=" + (entry.getValue() == null ? "" : entry.getValue())));
      return 0;
    }
  }

  /** Runs a one-shot command that needs the merged configuration. */
  static <T> T withSettings(BiFunction<Vertx, Settings, Future<T>> command) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, new JsonObject()).map(Settings::new)
          .compose(settings -> command.apply(vertx, settings)).await(2, TimeUnit.MINUTES);
    } finally {
      vertx.close();
    }
  }
}
