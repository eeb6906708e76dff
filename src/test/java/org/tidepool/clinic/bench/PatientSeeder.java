package org.tidepool.clinic.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.NameOrder;
import org.yaml.snakeyaml.Yaml;

/**
 * Patient documents as the service writes them (the mapper's fields, the name key), written
 * straight into MongoDB in bulk: names with accents and case, 0-3 of the clinic's tags, 0-1 site,
 * a CGM summary (7 and 14 days, every field of the contract's cgmPeriod.v1) for 90 % of them.
 */
final class PatientSeeder {
  static final List<String> FIRST = List.of("José", "maría", "Émile", "Zoë", "Anna-Maria", "Ólafur", "Chloé", "Liam", "noah", "Olivia",
      "Ava", "Lucas", "Mia", "Ethan", "Søren", "Amélie", "Björn", "Inés", "Jürgen", "Renée");
  static final List<String> LAST = List.of("García", "garcia", "Smith", "O'Brien", "Nguyen", "Müller", "Dubois", "Rossi", "Kowalski",
      "Johnson", "Lee", "Brown", "Da Silva", "Van der Berg", "Öztürk", "Martínez", "Li", "Andersson", "Moreau", "Novak");
  private final MongoClient mongo;
  private final List<String> periodFields;
  private final Random random = new Random(42);
  private long users;

  PatientSeeder(MongoClient mongo) throws Exception {
    this.mongo = mongo;
    try (InputStream in = PatientSeeder.class.getClassLoader().getResourceAsStream("openapi/clinic.v1.yaml")) {
      JsonObject contract = JsonObject.mapFrom(new Yaml().load(in));
      this.periodFields = new ArrayList<>(contract.getJsonObject("components").getJsonObject("schemas").getJsonObject("cgmPeriod.v1")
          .getJsonObject("properties").fieldNames());
    }
  }

  /** Writes {@code count} patients of the clinic, 250 a request (a larger bulk can outlast the 20 s command timeout on a loaded machine). */
  void seed(String clinicId, List<String> tags, List<String> sites, int count, Instant now) {
    List<BulkOperation> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(BulkOperation.createInsert(patient(clinicId, tags, sites, now)));
      if (batch.size() == 250 || i == count - 1) {
        mongo.bulkWrite("patients", batch).await();
        batch = new ArrayList<>();
      }
    }
  }

  private JsonObject patient(String clinicId, List<String> tags, List<String> sites, Instant now) {
    String userId = String.format("%010x", 0x100000000L + users++);
    String name = FIRST.get(random.nextInt(FIRST.size())) + " " + LAST.get(random.nextInt(LAST.size()));
    JsonObject created = MongoJson.date(now.minus(Duration.ofDays(random.nextInt(900))));
    JsonObject doc = new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("clinicId", MongoJson.oid(clinicId))
        .put("userId", userId).put("fullName", name).put(NameOrder.FULL_NAME_KEY, NameOrder.key(name))
        .put("email", userId + "@patients.bench.test").put("birthDate", String.format("%d-%02d-%02d", 1940 + random.nextInt(80),
            1 + random.nextInt(12), 1 + random.nextInt(28)))
        .put("mrn", "MRN" + userId).put("permissions", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()))
        .put("isMigrated", false).put("createdTime", created).put("updatedTime", created).put("revision", 1);
    JsonArray tagIds = new JsonArray();
    for (String tag : tags) {
      if (tagIds.size() < 3 && random.nextInt(3) == 0) {
        tagIds.add(MongoJson.oid(tag));
      }
    }
    doc.put("tags", tagIds);
    if (random.nextInt(2) == 0) {
      String site = sites.get(random.nextInt(sites.size()));
      doc.put("sites", new JsonArray().add(new JsonObject().put("id", MongoJson.oid(site)).put("name", "Site " + site.substring(20))));
    }
    if (random.nextInt(10) > 0) {
      doc.put("summary", summary(userId, now));
    }
    return doc;
  }

  private JsonObject summary(String userId, Instant now) {
    Instant lastData = now.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 30)));
    JsonObject dates = new JsonObject().put("hasLastData", true).put("lastData", MongoJson.date(lastData))
        .put("hasLastUploadDate", true).put("lastUploadDate", MongoJson.date(lastData)).put("hasFirstData", true)
        .put("firstData", MongoJson.date(lastData.minus(Duration.ofDays(400)))).put("hasOutdatedSince", false)
        .put("lastUpdatedDate", MongoJson.date(lastData));
    return new JsonObject().put("cgmStats", new JsonObject().put("id", userId + "00000000000000")
        .put("config", new JsonObject().put("schemaVersion", 5).put("highGlucoseThreshold", 10.0).put("veryHighGlucoseThreshold", 13.9)
            .put("lowGlucoseThreshold", 3.9).put("veryLowGlucoseThreshold", 3.0))
        .put("dates", dates).put("periods", new JsonObject().put("7d", period()).put("14d", period())));
  }

  private JsonObject period() {
    JsonObject period = new JsonObject();
    double veryLow = random.nextDouble() * 0.04;
    double anyLow = veryLow + random.nextDouble() * 0.06;
    double veryHigh = random.nextDouble() * 0.1;
    double anyHigh = veryHigh + random.nextDouble() * 0.3;
    for (String field : periodFields) {
      if (field.startsWith("has")) {
        period.put(field, true);
      } else if (field.endsWith("Percent")) {
        period.put(field, random.nextDouble());
      } else {
        period.put(field, random.nextInt(5000) / 10.0);
      }
    }
    return period.put("timeInVeryLowPercent", veryLow).put("timeInAnyLowPercent", anyLow).put("timeInVeryHighPercent", veryHigh)
        .put("timeInAnyHighPercent", anyHigh).put("timeInTargetPercent", Math.max(0, 1 - anyLow - anyHigh))
        .put("timeCGMUsePercent", 0.4 + random.nextDouble() * 0.6).put("timeInTargetPercentDelta", random.nextDouble() * 0.4 - 0.2);
  }
}
