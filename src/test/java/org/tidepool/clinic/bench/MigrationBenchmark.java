package org.tidepool.clinic.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tidepool.clinic.migration.LegacyAccounts;
import org.tidepool.clinic.testing.TestStack;

/**
 * A legacy clinic's migration on the embedded stack (all roles: relay, consumer, mail too), from
 * TriggerInitialMigration to COMPLETED: wall time and patients per second for {@code patients}
 * legacy patients with the rate limit off, then the rate held with the default limit (15/s) over
 * {@code limitedPatients}. The legacy accounts and shares are written straight to the platform
 * database in the embedded adapters' documents.
 *
 * <p>Run: {@code mvn -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.tidepool.clinic.bench.MigrationBenchmark [-Dexec.args="patients limitedPatients concurrency"]}
 */
public final class MigrationBenchmark {
  private static final int BATCH = 1000;

  public static void main(String[] args) {
    int patients = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int limitedPatients = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    String unlimited = run("limit off", patients, 0, concurrency);
    String limited = run("default limit", limitedPatients, 15, concurrency);
    System.out.println(unlimited);
    System.out.println(limited);
  }

  private static String run(String label, int patients, int limit, int concurrency) {
    JsonObject settings = new JsonObject().put("PATIENT_MIGRATIONS_PER_SECOND_LIMIT", limit)
        .put("PATIENT_MIGRATION_CONCURRENCY", concurrency).put("HTTP_INSTANCES", 2);
    try (TestStack stack = TestStack.start(settings)) {
      LegacyAccounts legacy = LegacyAccounts.of("be", patients);
      importLegacy(stack.platformDb(), legacy);
      String token = stack.userToken(legacy.clinicianId(), legacy.clinicianEmail(), legacy.clinicianName());
      String clinicId = LegacyAccounts.newClinicExperience(stack, token, legacy.clinicianId(), "Bench Clinic");
      long started = System.nanoTime();
      Benchmark.expectOk(stack.http().post("/v1/clinics/" + clinicId + "/migrate").bearerTokenAuthentication(token)
          .sendJsonObject(new JsonObject()).await());
      String uri = "/v1/clinics/" + clinicId + "/migrations/" + legacy.clinicianId();
      JsonObject migration;
      long lastReport = 0;
      while (true) {
        migration = stack.http().get(uri).bearerTokenAuthentication(stack.serverToken()).send().await().bodyAsJsonObject();
        String status = migration.getString("status");
        if ("COMPLETED".equals(status) || "FAILED".equals(status)) {
          break;
        }
        long now = System.nanoTime();
        if (now - lastReport > 5_000_000_000L) {
          lastReport = now;
          System.out.printf("%s: %s %s after %.1f s%n", label, status, migration.getJsonObject("progress"), (now - started) / 1e9);
        }
        stack.vertx().timer(100).await();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long created = stack.clinicDb().count("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", clinicId))).await();
      return String.format(Locale.ROOT,
          "MIGRATION %s (limit %d/s, concurrency %d): %d patients, %s in %.1f s = %.1f patients/s; %d patient records; progress %s",
          label, limit, concurrency, patients, migration.getString("status"), seconds, patients / seconds, created,
          migration.getJsonObject("progress"));
    }
  }

  /** The accounts and shares of {@link LegacyAccounts#importInto}, in bulk. */
  private static void importLegacy(MongoClient platformDb, LegacyAccounts legacy) {
    new LegacyAccounts(legacy.clinicianId(), legacy.clinicianEmail(), legacy.clinicianName(), List.of()).importInto(platformDb);
    List<BulkOperation> users = new ArrayList<>();
    List<BulkOperation> shares = new ArrayList<>();
    for (LegacyAccounts.Patient patient : legacy.patients()) {
      users.add(BulkOperation.createInsert(new JsonObject().put("_id", patient.id()).put("username", patient.email())
          .put("email", patient.email()).put("emails", new JsonArray().add(patient.email()))
          .put("profile", new JsonObject().put("fullName", patient.fullName())
              .put("patient", new JsonObject().put("birthday", patient.birthday())))));
      JsonObject permissions = new JsonObject();
      patient.permissions().forEach(permission -> permissions.put(permission, new JsonObject()));
      shares.add(BulkOperation.createInsert(new JsonObject().put("_id", patient.id() + ":" + legacy.clinicianId())
          .put("patientId", patient.id()).put("clinicianId", legacy.clinicianId()).put("permissions", permissions)));
      if (users.size() == BATCH) {
        flush(platformDb, users, shares);
      }
    }
    flush(platformDb, users, shares);
  }

  private static void flush(MongoClient platformDb, List<BulkOperation> users, List<BulkOperation> shares) {
    if (!users.isEmpty()) {
      platformDb.bulkWrite("users", users).await();
      platformDb.bulkWrite(LegacyAccounts.SHARES, shares).await();
    }
    users.clear();
    shares.clear();
  }
}
