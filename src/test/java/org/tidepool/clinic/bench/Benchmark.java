package org.tidepool.clinic.bench;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.tidepool.clinic.testing.TestStack;

/**
 * Measures the service on the embedded stack: GetClinic, ListClinicians and CreateClinic under a
 * closed-loop concurrent load, the CDC lag from a committed CreateClinic to the clinic_created
 * email at the SMTP server, and, in the same run, the ceiling: a bare Vert.x route reading the same
 * clinic from the same MongoDB. Prints a Markdown table (also written to target/benchmark.md).
 *
 * <p>Run: {@code mvn -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.tidepool.clinic.bench.Benchmark [-Dexec.args="seconds concurrency cdcSamples"]
 * [-Dbench.metrics=false]}
 */
public final class Benchmark {
  private static final int API_INSTANCES = 2;
  private static final JsonObject CLINIC = new JsonObject()
      .put("name", "Benchmark Clinic").put("preferredBgUnits", "mg/dL").put("country", "US");

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int cdcSamples = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    double warmup = Math.max(2, seconds / 3);

    // -Dbench.metrics=false measures the service without Prometheus metrics (the default has them)
    boolean metrics = Boolean.parseBoolean(System.getProperty("bench.metrics", "true"));
    try (TestStack stack = TestStack.start(new JsonObject().put("HTTP_INSTANCES", API_INSTANCES).put("METRICS_ENABLED", metrics))) {
      var vertx = stack.vertx();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(stack.httpPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
      String admin = stack.userToken("bench0admin", "admin@bench.test", "Bench Admin");
      String server = stack.serverToken();
      String clinicId = client.post("/v1/clinics").putHeader("Authorization", "Bearer " + admin).sendJsonObject(CLINIC)
          .map(r -> expectOk(r).bodyAsJsonObject().getString("id")).await();
      for (int i = 0; i < 20; i++) {
        client.post("/v1/clinics/" + clinicId + "/clinicians").putHeader("Authorization", "Bearer " + server)
            .sendJsonObject(new JsonObject().put("inviteId", "invite" + i).put("email", "member" + i + "@bench.test")
                .put("name", "Member " + i).put("roles", List.of("CLINIC_MEMBER")))
            .map(Benchmark::expectOk).await();
      }

      // as many event loops as the api has instances, so the comparison is like for like
      int barePort = freePort();
      JsonObject mongo = stack.app().config().getJsonObject("mongo");
      vertx.deployVerticle(() -> new BareMongoRoute(mongo, barePort), new DeploymentOptions().setInstances(API_INSTANCES)).await();
      WebClient bareClient = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(barePort).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));

      Supplier<Future<HttpResponse<Buffer>>> bareGet = () -> bareClient.get("/bare/clinics/" + clinicId).send();
      Supplier<Future<HttpResponse<Buffer>>> getClinic =
          () -> client.get("/v1/clinics/" + clinicId).putHeader("Authorization", "Bearer " + admin).send();
      // both paths share the MongoDB server: warm it and both routes up before either is measured
      LoadRun.run(vertx, "warm-up", concurrency, 0, warmup, bareGet);
      LoadRun.run(vertx, "warm-up", concurrency, 0, warmup, getClinic);

      List<LoadRun.Result> results = new ArrayList<>();
      results.add(LoadRun.run(vertx, "ceiling: bare route GET clinic", concurrency, warmup, seconds, bareGet));
      results.add(LoadRun.run(vertx, "GetClinic", concurrency, warmup, seconds, getClinic));
      results.add(LoadRun.run(vertx, "ListClinicians", concurrency, warmup, seconds,
          () -> client.get("/v1/clinics/" + clinicId + "/clinicians").putHeader("Authorization", "Bearer " + admin).send()));
      Histogram cdcLag = measureCdcLag(stack, client, cdcSamples);
      results.add(LoadRun.run(vertx, "CreateClinic", concurrency, warmup, seconds,
          () -> client.post("/v1/clinics").putHeader("Authorization", "Bearer " + admin).sendJsonObject(CLINIC)));

      String report = report(results, cdcLag, seconds, concurrency, cdcSamples);
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/benchmark.md"), report);
      client.close();
      bareClient.close();
    }
    System.exit(0);
  }

  /** One clinic at a time: from the CreateClinic response to its email being in the SMTP server. */
  private static Histogram measureCdcLag(TestStack stack, WebClient client, int samples) throws Exception {
    GreenMail smtp = stack.app().embeddedSmtp().greenMail();
    Histogram lag = new Histogram(60_000_000L, 3);
    AtomicLong received = new AtomicLong(smtp.getReceivedMessages().length);
    for (int i = 0; i < samples; i++) {
      String token = stack.userToken("benchcdc" + i, "cdc" + i + "@bench.test", "CDC " + i);
      Future<HttpResponse<Buffer>> created = client.post("/v1/clinics").putHeader("Authorization", "Bearer " + token).sendJsonObject(CLINIC);
      expectOk(created.await());
      long committed = System.nanoTime();
      long expected = received.incrementAndGet();
      if (!smtp.waitForIncomingEmail(10_000, (int) expected)) {
        throw new IllegalStateException("no clinic_created email within 10 s for sample " + i);
      }
      lag.recordValue((System.nanoTime() - committed) / 1000);
    }
    return lag;
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static HttpResponse<Buffer> expectOk(HttpResponse<Buffer> response) {
    if (response.statusCode() >= 300) {
      throw new IllegalStateException("set-up request failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response;
  }

  private static String report(List<LoadRun.Result> results, Histogram cdcLag, double seconds, int concurrency, int samples) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Embedded stack, metrics %s, %d concurrent callers, %.0f s per row after warm-up, %d cores, %s%n%n",
        Boolean.parseBoolean(System.getProperty("bench.metrics", "true")) ? "on" : "off", concurrency, seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version")));
    out.append(LoadRun.table(results));
    double ceiling = results.get(0).throughput();
    double getClinic = results.get(1).throughput();
    out.append(String.format(Locale.ROOT, "%nGetClinic reaches %.0f%% of the bare-route ceiling.%n", 100 * getClinic / ceiling));
    out.append(String.format(Locale.ROOT, "CDC lag (CreateClinic answered -> clinic_created email at SMTP), %d samples: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        samples, cdcLag.getValueAtPercentile(50) / 1000.0, cdcLag.getValueAtPercentile(99) / 1000.0, cdcLag.getMaxValue() / 1000.0));
    return out.toString();
  }
}
