package org.tidepool.clinic.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.tidepool.clinic.mongo.MongoCapabilities;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.patientlist.ListQuery;
import org.tidepool.clinic.patientlist.ListTables;
import org.tidepool.clinic.patientlist.TideReport;
import org.tidepool.clinic.testing.TestStack;

/**
 * The patient list under load on the embedded stack: the five {@link ListScenarios} against one
 * clinic of 1,000, 10,000 and 50,000 patients (with 40,000 more in other clinics), 8 concurrent
 * callers, each row next to its ceiling: the same MongoDB query sent straight from a Vert.x mongo
 * client (no HTTP, contract validation, authorisation, event bus or mapping), and the same work
 * served by a bare HTTP route ({@link BareQueryRoute}), which tells HTTP and encoding apart from
 * the service's own machinery.
 *
 * <p>Run: {@code mvn -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.tidepool.clinic.bench.PatientListBenchmark [-Dexec.args="quick"]} (quick:
 * 1,000 and 10,000 patients, 10,000 in other clinics, 3 s a row), or {@code -Dexec.args="10000,50000 40000"}:
 * the clinic's sizes, and the patients of other clinics (default 40,000), 6 s a row; a third argument
 * runs only the scenarios whose name contains it ({@code "10000,50000 40000 TideReport"}).
 */
public final class PatientListBenchmark {
  static final int CONCURRENCY = 8;

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    boolean sized = args.length > 0 && !quick;
    List<Integer> sizes = sized ? java.util.Arrays.stream(args[0].split(",")).map(Integer::valueOf).toList()
        : quick ? List.of(1_000, 10_000) : List.of(1_000, 10_000, 50_000);
    int others = sized && args.length > 1 ? Integer.parseInt(args[1]) : quick ? 10_000 : 40_000;
    String only = sized && args.length > 2 ? args[2] : null;
    double seconds = quick ? 3 : 6;
    double warmup = quick ? 2 : 3;
    Instant now = Instant.now();
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "Embedded stack (mongo-java-server, H2 file), %d concurrent callers, %.0f s a row after %.0f s warm-up, %d cores, %s; "
            + "%,d patients in other clinics; leading-key indexes %s%n%n| patients in the clinic | scenario | requests/s | p50 ms | p99 ms | ceiling requests/s "
            + "| ceiling p50 ms | ceiling p99 ms | service / ceiling (p50) | errors | CPU ms/request (service / ceiling) "
            + "| bare route over HTTP p50 ms | bare route CPU ms/request |%n"
            + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n",
        CONCURRENCY, seconds, warmup, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), others,
        "false".equalsIgnoreCase(System.getProperty("clinic.embedded.leadingKeyIndexes", "true").trim()) ? "off" : "on"));
    try (TestStack stack = TestStack.start(new JsonObject().put("HTTP_INSTANCES", 2).put("ROLES", "api,store"))) {
      Vertx vertx = stack.vertx();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(stack.httpPort())
          .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      MongoClient direct = MongoClient.createShared(vertx, stack.app().config().getJsonObject("mongo"), "bench-ceiling");
      AtomicReference<Supplier<Future<?>>> bareQuery = new AtomicReference<>();
      int barePort = Benchmark.freePort();
      vertx.deployVerticle(() -> new BareQueryRoute(bareQuery, barePort), new DeploymentOptions().setInstances(2)).await();
      WebClient bareClient = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      String admin = stack.userToken("bench0admin", "admin@bench.test", "Bench Admin");
      String clinicId = client.post("/v1/clinics").bearerTokenAuthentication(admin)
          .sendJsonObject(new JsonObject().put("name", "Bench Clinic").put("preferredBgUnits", "mg/dL")).await()
          .bodyAsJsonObject().getString("id");
      List<String> tags = ids("aaaaaaaaaaaaaaaaaaaa", 10);
      List<String> sites = ids("bbbbbbbbbbbbbbbbbbbb", 5);
      PatientSeeder seeder = new PatientSeeder(direct);
      long seeding = System.nanoTime();
      for (int i = 0; i < others / 5_000 + (others % 5_000 > 0 ? 1 : 0); i++) {
        seeder.seed(MongoJson.newId(), tags, sites, Math.min(5_000, others - i * 5_000), now);
      }
      System.out.printf("seeded %,d patients of other clinics in %.1f s%n", others, (System.nanoTime() - seeding) / 1e9);
      ListTables tables = ListTables.fromContract();
      boolean collation = MongoCapabilities.collation(direct).await();
      int seeded = 0;
      for (int size : sizes) {
        seeder.seed(clinicId, tags, sites, size - seeded, now);
        seeded = size;
        for (ListScenarios.Scenario scenario : ListScenarios.all(tags.get(0), now)) {
          if (only != null && !scenario.name().contains(only)) {
            continue;
          }
          String target = "/v1/clinics/" + clinicId + scenario.target();
          Supplier<Future<?>> service = () -> client.get(target).bearerTokenAuthentication(admin).send();
          Supplier<Future<?>> ceiling = ceiling(direct, tables, clinicId, scenario, collation);
          bareQuery.set(ceiling);
          LoadRun.Result bare = LoadRun.run(vertx, "ceiling " + scenario.name(), CONCURRENCY, warmup, seconds, ceiling);
          LoadRun.Result overHttp = LoadRun.run(vertx, "bare route " + scenario.name(), CONCURRENCY, warmup, seconds,
              () -> bareClient.get(barePort, "127.0.0.1", "/").send());
          LoadRun.Result served = LoadRun.run(vertx, scenario.name(), CONCURRENCY, warmup, seconds, service);
          String row = String.format(Locale.ROOT, "| %,d | %s | %.0f | %.1f | %.1f | %.0f | %.1f | %.1f | %.2f | %d | %.1f / %.1f | %.1f | %.1f |%n",
              size, scenario.name(), served.throughput(), served.p50Millis(), served.p99Millis(), bare.throughput(), bare.p50Millis(),
              bare.p99Millis(), served.p50Millis() / bare.p50Millis(), served.errors() + bare.errors() + overHttp.errors(),
              served.cpuMillisPerRequest(), bare.cpuMillisPerRequest(), overHttp.p50Millis(), overHttp.cpuMillisPerRequest());
          System.out.print(row);
          report.append(row);
        }
      }
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/patient-list-benchmark.md"), report.toString());
    }
    System.exit(0);
  }

  /** The MongoDB work of one request of the scenario, as the service does it: the page and its counts, or the report's read. */
  private static Supplier<Future<?>> ceiling(MongoClient mongo, ListTables tables, String clinicId, ListScenarios.Scenario scenario,
                                             boolean collation) {
    if (scenario.path().equals("/tide_report")) {
      List<String> tags = scenario.query().getJsonArray("tags").stream().map(String::valueOf).toList();
      TideReport.Request request = new TideReport.Request(clinicId, "14d", tags, List.of(),
          Instant.parse(scenario.query().getString("lastDataCutoff")), List.of(), false);
      // the report's one streamed read, drained: one reply of 50,000 patients is past the driver's 48 MB
      return () -> TideReport.read(mongo, request, TideReport.BATCH).collect(Collectors.counting());
    }
    ListQuery query = ListQuery.of(tables, clinicId, scenario.query(), new Page(0, 10), collation);
    JsonObject clinic = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    return () -> Future.all(
        mongo.findWithOptions("patients", query.filter(), query.page().applyTo(new FindOptions().setSort(query.sort()))),
        mongo.count("patients", clinic),
        query.everyPatient() ? Future.succeededFuture(0L) : mongo.count("patients", query.filter()));
  }

  private static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(prefix + String.format("%04x", i));
    }
    return ids;
  }
}
