package org.tidepool.clinic.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.bson.types.ObjectId;
import org.tidepool.clinic.testing.TestStack;

/**
 * The patient operations on the embedded stack: GetPatient, UpdatePatient and
 * CreatePatientAccount under a closed-loop concurrent load, over a clinic of {@code patients}
 * patients while {@code others} more belong to four other clinics; and, in the same run, the
 * ceiling for GetPatient: a bare Vert.x route reading the same patient document from the same
 * MongoDB. The patients are copies of one created through the API, written straight to MongoDB.
 *
 * <p>Run: {@code mvn -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.tidepool.clinic.bench.PatientBenchmark [-Dexec.args="seconds concurrency patients others"]}
 * ({@code -Dbench.writes=false}: the two read rows only, e.g. for a profile of GetPatient). A fifth
 * argument names the rows to run, comma-separated (e.g. {@code ceiling,UpdatePatient}: a row runs when
 * its name starts with one of them); without it every row runs.
 */
public final class PatientBenchmark {
  private static final int API_INSTANCES = 2;
  private static final int OTHER_CLINICS = 4;
  private static final int BATCH = 1000;

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int patients = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int others = args.length > 3 ? Integer.parseInt(args[3]) : 40_000;
    double warmup = Math.max(2, seconds / 3);
    List<String> rows = args.length > 4 ? List.of(args[4].split(",")) : List.of("");

    try (TestStack stack = TestStack.start(new JsonObject().put("HTTP_INSTANCES", API_INSTANCES))) {
      var vertx = stack.vertx();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(stack.httpPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
      String admin = stack.userToken("bench0admin", "admin@bench.test", "Bench Admin");
      String server = stack.serverToken();
      MongoClient clinicDb = stack.clinicDb();

      String clinicId = createClinic(client, admin, "Benchmark Clinic");
      long started = System.nanoTime();
      List<String> userIds = seed(client, clinicDb, admin, server, clinicId, patients);
      for (int c = 0; c < OTHER_CLINICS; c++) {
        seed(client, clinicDb, admin, server, createClinic(client, admin, "Other Clinic " + c), others / OTHER_CLINICS);
      }
      double seedSeconds = (System.nanoTime() - started) / 1e9;

      int barePort = Benchmark.freePort();
      JsonObject mongo = stack.app().config().getJsonObject("mongo");
      vertx.deployVerticle(() -> new BareMongoRoute(mongo, barePort), new DeploymentOptions().setInstances(API_INSTANCES)).await();
      WebClient bareClient = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(barePort).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));

      String patientsPath = "/v1/clinics/" + clinicId + "/patients";
      Supplier<String> anyPatient = () -> userIds.get(ThreadLocalRandom.current().nextInt(userIds.size()));
      Supplier<Future<HttpResponse<Buffer>>> bareGet = () -> bareClient.get("/bare/clinics/" + clinicId + "/patients/" + anyPatient.get()).send();
      Supplier<Future<HttpResponse<Buffer>>> getPatient =
          () -> client.get(patientsPath + "/" + anyPatient.get()).putHeader("Authorization", "Bearer " + admin).send();
      LoadRun.run(vertx, "warm-up", concurrency, 0, warmup, bareGet);
      LoadRun.run(vertx, "warm-up", concurrency, 0, warmup, getPatient);

      AtomicLong updates = new AtomicLong();
      AtomicLong accounts = new AtomicLong();
      List<LoadRun.Result> results = new ArrayList<>();
      Row row = (name, request) -> {
        if (rows.stream().anyMatch(name::startsWith)) {
          results.add(LoadRun.run(vertx, name, concurrency, warmup, seconds, request));
        }
      };
      row.run("ceiling: bare route GET patient", bareGet);
      row.run("GetPatient", getPatient);
      if (Boolean.parseBoolean(System.getProperty("bench.writes", "true"))) {
        row.run("UpdatePatient", () -> {
          long n = updates.incrementAndGet();
          return client.put(patientsPath + "/" + userIds.get((int) (n % userIds.size()))).putHeader("Authorization", "Bearer " + admin)
              .sendJsonObject(new JsonObject().put("fullName", "Updated Patient " + n).put("birthDate", "2001-02-03").put("mrn", "U" + n));
        });
        row.run("CreatePatientAccount", () -> {
          long n = accounts.incrementAndGet();
          return client.post(patientsPath).putHeader("Authorization", "Bearer " + admin)
              .sendJsonObject(new JsonObject().put("fullName", "New Patient " + n).put("birthDate", "2010-10-10")
                  .put("email", "new" + n + "@bench.test"));
        });
      }

      String report = String.format(Locale.ROOT,
          "Embedded stack, %d concurrent callers, %.0f s per row after warm-up, %d cores, %s; %d patients in the clinic, %d in %d others"
              + " (seeded in %.1f s)%n%n%s%n%s",
          concurrency, seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
          patients, others, OTHER_CLINICS, seedSeconds, LoadRun.table(results), ceilingShare(results));
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/patient-benchmark.md"), report);
      client.close();
      bareClient.close();
    }
    System.exit(0);
  }

  /** A row of the run: measured when the rows asked for include it. */
  private interface Row {
    void run(String name, Supplier<? extends Future<?>> request);
  }

  private static String ceilingShare(List<LoadRun.Result> results) {
    var ceiling = results.stream().filter(r -> r.name().startsWith("ceiling")).findFirst();
    var get = results.stream().filter(r -> r.name().equals("GetPatient")).findFirst();
    return ceiling.isPresent() && get.isPresent()
        ? String.format(Locale.ROOT, "GetPatient reaches %.0f%% of the bare-route ceiling.%n", 100 * get.get().throughput() / ceiling.get().throughput())
        : "";
  }

  private static String createClinic(WebClient client, String admin, String name) {
    return client.post("/v1/clinics").putHeader("Authorization", "Bearer " + admin)
        // outside the US: no patient limit applies
        .sendJsonObject(new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL").put("country", "CA"))
        .map(r -> Benchmark.expectOk(r).bodyAsJsonObject().getString("id")).await();
  }

  /**
   * Creates one patient of the clinic through the API, then writes {@code count - 1} copies of its
   * document (new ids, names, MRNs; shared with the clinic, not custodial) straight to MongoDB,
   * and refreshes the clinic's cached counts. Returns the patients' user ids.
   */
  private static List<String> seed(WebClient client, MongoClient clinicDb, String admin, String server, String clinicId, int count) {
    String first = client.post("/v1/clinics/" + clinicId + "/patients").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("fullName", "Seed Patient").put("birthDate", "2000-01-01").put("mrn", "S0"))
        .map(r -> Benchmark.expectOk(r).bodyAsJsonObject().getString("id")).await();
    JsonObject template = clinicDb.findOne("patients", new JsonObject().put("userId", first), null).await();
    List<String> userIds = new ArrayList<>(List.of(first));
    List<BulkOperation> batch = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      String userId = String.format("%010x", ThreadLocalRandom.current().nextLong(0x10000000000L));
      userIds.add(userId);
      batch.add(BulkOperation.createInsert(template.copy()
          .put("_id", new JsonObject().put("$oid", new ObjectId().toHexString()))
          .put("userId", userId).put("fullName", "Patient " + i + " of " + clinicId.substring(18)).put("mrn", "M" + i)
          .put("permissions", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()))));
      if (batch.size() == BATCH || i == count - 1) {
        clinicDb.bulkWrite("patients", batch).await();
        batch = new ArrayList<>();
      }
    }
    Benchmark.expectOk(client.post("/v1/clinics/" + clinicId + "/patient_count/refresh").putHeader("Authorization", "Bearer " + server).send().await());
    return userIds;
  }
}
