package org.tidepool.clinic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.tidepool.clinic.cdc.relay.ParkedRecords;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.infra.EmbeddedMongo;
import org.tidepool.clinic.infra.MongoSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parked list | retry}: the change records the relay parked in {@code cdc_parked}
 * ({@link ParkedRecords}), read and retried in the clinic database of the running service.
 */
@Command(name = "parked", mixinStandardHelpOptions = true, description = "Change records the relay parked because Kafka refuses them for good",
    subcommands = {ParkedCommand.ListParked.class, ParkedCommand.RetryParked.class})
final class ParkedCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the parked change records: id, collection, document id, operation, time, reason")
  static final class ListParked implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      List<ParkedRecords.Parked> parked = Main.withSettings((vertx, settings) ->
          withClinicDatabase(vertx, settings, mongo -> new ParkedRecords(mongo).list()));
      if (parked.isEmpty()) {
        System.out.println("no parked change records");
      }
      parked.forEach(record -> System.out.printf("%s  %s  %s  %s  %s  %s%n", record.id(), record.collection(),
          record.documentId(), record.operation(), record.parkedTime(), record.reason()));
      return 0;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Put parked change records back into the outbox as ready. The relay publishes "
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
      List<ParkedRecords.Retried> retried = Main.withSettings((vertx, settings) -> withClinicDatabase(vertx, settings, mongo ->
          which.all ? new ParkedRecords(mongo).retryAll() : new ParkedRecords(mongo).retry(which.ids)));
      retried.forEach(record -> System.out.println("retried " + record.parkedId() + " as outbox record " + record.outboxId()));
      List<String> missing = which.all ? List.of()
          : which.ids.stream().filter(id -> retried.stream().noneMatch(record -> record.parkedId().equals(id))).toList();
      missing.forEach(id -> System.err.println("no parked record " + id));
      System.out.println("retried " + retried.size() + " parked record(s)");
      return missing.isEmpty() ? 0 : 1;
    }
  }

  /**
   * Opens the running service's clinic database: {@code TIDEPOOL_STORE_*} when set, else the
   * embedded server at {@code EMBEDDED_MONGO_PORT}; with port 0 (the default: any free port)
   * the embedded data files under {@code DATA_DIR}, which only a stopped service leaves free.
   */
  static <T> Future<T> withClinicDatabase(Vertx vertx, Settings settings, Function<MongoClient, Future<T>> command) {
    return withDatabase(vertx, settings, "TIDEPOOL_CLINIC_DATABASE_NAME", false, command);
  }

  /**
   * As {@link #withClinicDatabase}, for the database named by the setting {@code databaseNameKey};
   * {@code createMissing}: a command that writes (an import) starts the embedded store's files
   * when there are none yet, where a reader of parked records has nothing to read.
   */
  static <T> Future<T> withDatabase(Vertx vertx, Settings settings, String databaseNameKey, boolean createMissing,
                                    Function<MongoClient, Future<T>> command) {
    String database = settings.required(databaseNameKey);
    if (MongoSettings.configured(settings)) {
      return withClient(vertx, MongoSettings.connectionString(settings), database, command);
    }
    int port = settings.port("EMBEDDED_MONGO_PORT");
    if (port != 0) {
      return withClient(vertx, "mongodb://127.0.0.1:" + port, database, command);
    }
    return vertx.executeBlocking(() -> openEmbeddedFiles(Path.of(settings.required("DATA_DIR"), "mongo"), createMissing))
        .compose(files -> withClient(vertx, files.connectionString(), database, command)
            .eventually(() -> vertx.executeBlocking(() -> {
              files.close();
              return null;
            })));
  }

  private static <T> Future<T> withClient(Vertx vertx, String uri, String database, Function<MongoClient, Future<T>> command) {
    // an operator waits seconds, not the driver's 30, to learn that nothing answers there
    MongoClient mongo = MongoClient.create(vertx, MongoSettings.clientConfig(uri, database).put("serverSelectionTimeoutMS", 5000));
    return command.apply(mongo).eventually(mongo::close);
  }

  private static EmbeddedMongo openEmbeddedFiles(Path directory, boolean createMissing) throws IOException {
    if (createMissing) {
      Files.createDirectories(directory);
    } else if (!Files.exists(directory.resolve("mongo.mv"))) {
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
