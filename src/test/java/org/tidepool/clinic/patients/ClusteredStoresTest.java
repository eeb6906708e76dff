package org.tidepool.clinic.patients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.DevTokens;
import org.tidepool.clinic.app.ClinicApplication;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.testing.ClusterMembers;

/**
 * Two store processes on one database, behind one api process, joined by a clustered event bus:
 * the api spreads a clinic's concurrent patient creations over both stores. The embedded store
 * has no partial unique index, so MRN uniqueness and the patient limit rest on the clinic's lock
 * alone; it must hold across the two processes.
 */
class ClusteredStoresTest {
  static final int CONCURRENT = 16;

  static ClusterMembers cluster;
  static ClinicApplication api;
  static WebClient http;
  static MongoClient clinicDb;
  static MongoClient platformDb;
  static String token;
  static final Map<Vertx, AtomicInteger> patientRequests = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start(@TempDir Path first, @TempDir Path second, @TempDir Path apiDir, @TempDir Path certificates) throws Exception {
    cluster = new ClusterMembers(certificates, "clinic-stores");
    JsonObject store = new JsonObject().put("ROLES", "store").put("CLINIC_DEMO_PATIENT_USER_ID", "dddddddddd");
    ClusterMembers.Member firstStore = cluster.start(first, store);
    String mongoAddress = firstStore.mongoAddress();
    ClusterMembers.Member secondStore = cluster.start(second, store.copy().put("TIDEPOOL_STORE_ADDRESSES", mongoAddress));
    ClusterMembers.Member apiMember = cluster.start(apiDir, new JsonObject().put("ROLES", "api").put("TIDEPOOL_STORE_ADDRESSES", mongoAddress));
    api = apiMember.app();
    http = WebClient.create(apiMember.vertx());
    clinicDb = MongoClient.create(apiMember.vertx(), api.config().getJsonObject("mongo").copy().put("db_name", "clinic"));
    platformDb = MongoClient.create(apiMember.vertx(), api.config().getJsonObject("mongo").copy()
        .put("db_name", new Settings(api.config()).required("PLATFORM_DATABASE_NAME")));
    token = DevTokens.load(apiMember.vertx(), new Settings(api.config())).await().user("c1a55e7001", "lead@example.org", "Lead Clinician");
    for (ClusterMembers.Member member : List.of(firstStore, secondStore)) {
      AtomicInteger seen = new AtomicInteger();
      patientRequests.put(member.vertx(), seen);
      member.vertx().eventBus().addInboundInterceptor(delivery -> {
        if (delivery.message().address().equals(Domain.PATIENTS.address())) {
          seen.incrementAndGet();
        }
        delivery.next();
      });
    }
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void aUniqueMrnIsTakenOnceWhateverStoreServesTheCreation() {
    String clinicId = clinic("Unique Records");
    setClinic(clinicId, new JsonObject().put("mrnSettings", new JsonObject().put("required", true).put("unique", true)));

    Map<Integer, Long> statuses = createConcurrently(clinicId, i -> patient("Same Record " + i).put("mrn", "MRN-77"));

    assertThat(statuses).containsEntry(200, 1L).containsEntry(400, (long) CONCURRENT - 1).hasSize(2);
    assertThat(clinicDb.count("patients", new JsonObject().put("clinicId", oid(clinicId)).put("mrn", "MRN-77")).await()).isEqualTo(1);
    assertBothStoresServed();
  }

  @Test
  void thePatientLimitHoldsWhateverStoreServesTheCreation() {
    String clinicId = clinic("Limited Plan");
    setClinic(clinicId, new JsonObject().put("country", "US")
        .put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", 3))));

    Map<Integer, Long> statuses = createConcurrently(clinicId, i -> patient("Plan Patient " + i));

    assertThat(statuses).containsEntry(200, 3L).containsEntry(402, (long) CONCURRENT - 3).hasSize(2);
    // the demo patient of the clinic is there too, and is not on the plan
    assertThat(clinicDb.count("patients", new JsonObject().put("clinicId", oid(clinicId))).await()).isEqualTo(4);
    assertBothStoresServed();
  }

  /**
   * One email, one account: the creations of custodial accounts with one email in several clinics
   * (so under no common clinic lock), spread over the two stores, leave one account of it.
   */
  @Test
  void anEmailBelongsToOneAccountWhateverStoreCreatesIt() {
    List<String> clinics = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      clinics.add(clinic("Shared Email " + i));
    }
    for (int round = 0; round < 4; round++) {
      String email = "shared" + round + "@example.org";
      List<Future<HttpResponse<Buffer>>> calls = clinics.stream().map(clinicId -> http.post(api.httpPort(), "127.0.0.1",
              "/v1/clinics/" + clinicId + "/patients").putHeader("Authorization", "Bearer " + token)
          .sendJsonObject(patient("Shared Email Patient").put("email", email))).toList();
      Future.join(calls).await();
      Map<Integer, Long> statuses = calls.stream().collect(Collectors.groupingBy(call -> call.result().statusCode(), Collectors.counting()));

      assertThat(statuses).as(email).containsEntry(200, 1L).containsEntry(409, (long) clinics.size() - 1).hasSize(2);
      assertThat(platformDb.count("users", new JsonObject().put("email", email)).await()).as(email).isEqualTo(1);
    }
    assertBothStoresServed();
  }

  private static Map<Integer, Long> createConcurrently(String clinicId, java.util.function.IntFunction<JsonObject> body) {
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      calls.add(http.post(api.httpPort(), "127.0.0.1", "/v1/clinics/" + clinicId + "/patients")
          .putHeader("Authorization", "Bearer " + token).sendJsonObject(body.apply(i)));
    }
    Future.join(calls).await();
    return calls.stream().collect(Collectors.groupingBy(call -> call.result().statusCode(), Collectors.counting()));
  }

  private static void assertBothStoresServed() {
    assertThat(patientRequests.values()).allSatisfy(seen -> assertThat(seen.get()).isPositive());
  }

  private static String clinic(String name) {
    HttpResponse<Buffer> created = http.post(api.httpPort(), "127.0.0.1", "/v1/clinics").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL")).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    return created.bodyAsJsonObject().getString("id");
  }

  private static JsonObject patient(String fullName) {
    return new JsonObject().put("fullName", fullName).put("birthDate", "2004-04-04");
  }

  private static void setClinic(String clinicId, JsonObject fields) {
    clinicDb.updateCollection("clinics", new JsonObject().put("_id", oid(clinicId)), new JsonObject().put("$set", fields)).await();
  }

  private static JsonObject oid(String id) {
    return new JsonObject().put("$oid", id);
  }
}
