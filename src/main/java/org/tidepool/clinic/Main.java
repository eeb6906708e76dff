package org.tidepool.clinic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.app.ClinicApplication;
import org.tidepool.clinic.app.Clustering;
import org.tidepool.clinic.cdc.consumer.DeadLetterReplay;
import org.tidepool.clinic.cdc.relay.ParkedRecords;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.ConfigLoader;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedMongo;
import org.tidepool.clinic.infra.MongoSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: {@code serve} (default), {@code token}, {@code dlq-replay}, {@code parked}. */
@Command(name = "clinic-service", mixinStandardHelpOptions = true,
    description = "Tidepool clinic service on Vert.x",
    subcommands = {Main.Serve.class, Main.Token.class, Main.DeadLetterReplayCommand.class, Main.ParkedCommand.class})
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Set once the service runs: the JVM then lives until SIGTERM instead of exiting. */
  private static volatile boolean serving;

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

  @Command(name = "parked", description = "Change records the relay parked because Kafka refuses them for good",
      subcommands = {ParkedCommand.ListParked.class, ParkedCommand.RetryParked.class})
  static final class ParkedCommand {
    @Command(name = "list", description = "List the parked change records: id, collection, document id, operation, time, reason")
    static final class ListParked implements Callable<Integer> {
      @Override
      public Integer call() throws Exception {
        List<ParkedRecords.Parked> parked = withSettings((vertx, settings) ->
            withClinicDatabase(vertx, settings, mongo -> new ParkedRecords(mongo).list()));
        if (parked.isEmpty()) {
          System.out.println("no parked change records");
        }
        parked.forEach(record -> System.out.printf("%s  %s  %s  %s  %s  %s%n", record.id(), record.collection(),
            record.documentId(), record.operation(), record.parkedTime(), record.reason()));
        return 0;
      }
    }

    @Command(name = "retry", description = "Put parked change records back into the outbox as ready. The relay publishes "
        + "each after the records already waiting there (a new, later position), with its event as recorded")
    static final class RetryParked implements Callable<Integer> {
      @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
      Which which;

      static final class Which {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "ids of parked records (as 'parked list' shows them)")
        List<String> ids;

        @Option(names = "--all", required = true, description = "every parked record, in their original order")
        boolean all;
      }

      @Override
      public Integer call() throws Exception {
        List<String> unknown = which.all ? List.of() : which.ids.stream().filter(id -> !id.matches("[0-9a-f]{24}")).toList();
        if (!unknown.isEmpty()) {
          System.err.println("parked retry: not a change record id (24 hex digits): " + String.join(", ", unknown));
          return 2;
        }
        List<Optional<String>> retried = withSettings((vertx, settings) -> withClinicDatabase(vertx, settings, mongo -> {
          ParkedRecords parked = new ParkedRecords(mongo);
          if (which.all) {
            return parked.retryAll().map(ids -> ids.stream().map(Optional::of).toList());
          }
          Future<List<Optional<String>>> chain = Future.succeededFuture(new java.util.ArrayList<>());
          for (String id : which.ids) {
            chain = chain.compose(done -> parked.retry(id).map(outcome -> {
              done.add(outcome);
              return done;
            }));
          }
          return chain;
        }));
        int missing = 0;
        for (int i = 0; i < retried.size(); i++) {
          if (retried.get(i).isPresent()) {
            System.out.println("retried " + (which.all ? "" : which.ids.get(i) + " ") + "as outbox record " + retried.get(i).get());
          } else {
            missing++;
            System.err.println("no parked record " + which.ids.get(i));
          }
        }
        System.out.println("retried " + (retried.size() - missing) + " parked record(s)");
        return missing == 0 ? 0 : 1;
      }
    }

    /**
     * Opens the running service's clinic database: {@code TIDEPOOL_STORE_*} when set, else the
     * embedded server at {@code EMBEDDED_MONGO_PORT}; with port 0 (any free port) the embedded
     * data files under {@code DATA_DIR}, which only a stopped service leaves free.
     */
    static <T> Future<T> withClinicDatabase(Vertx vertx, Settings settings, Function<MongoClient, Future<T>> command) {
      String database = settings.required("TIDEPOOL_CLINIC_DATABASE_NAME");
      int port = MongoSettings.configured(settings) ? 0 : settings.port("EMBEDDED_MONGO_PORT");
      Future<EmbeddedMongo> embedded = MongoSettings.configured(settings) || port != 0 ? Future.succeededFuture()
          : vertx.executeBlocking(() -> openEmbeddedFiles(Path.of(settings.required("DATA_DIR"), "mongo")));
      return embedded.compose(files -> {
        String uri = MongoSettings.configured(settings) ? MongoSettings.connectionString(settings)
            : files != null ? files.connectionString() : "mongodb://127.0.0.1:" + port;
        MongoClient mongo = MongoClient.create(vertx, MongoSettings.clientConfig(uri, database));
        return command.apply(mongo).eventually(mongo::close).eventually(() -> files == null ? Future.succeededFuture()
            : vertx.executeBlocking(() -> {
              files.close();
              return null;
            }));
      });
    }

    private static EmbeddedMongo openEmbeddedFiles(Path directory) {
      if (!Files.exists(directory.resolve("mongo.mv"))) {
        throw new IllegalStateException("no embedded MongoDB data in " + directory.toAbsolutePath()
            + " (run from the service's directory, or set DATA_DIR, EMBEDDED_MONGO_PORT or TIDEPOOL_STORE_ADDRESSES)");
      }
      try {
        return EmbeddedMongo.onDisk(directory, 0);
      } catch (RuntimeException inUse) {
        throw new IllegalStateException("the embedded MongoDB in " + directory.toAbsolutePath() + " is in use by a running "
            + "service: set EMBEDDED_MONGO_PORT to the port of its log line 'embedded MongoDB at mongodb://127.0.0.1:<port>' ("
            + inUse.getMessage() + ")", inUse);
      }
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
