package org.tidepool.clinic.cdc.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.cdc.ChangeEvents.event;
import static org.tidepool.clinic.cdc.ChangeEvents.oid;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.call;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.createClinic;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.cdc.relay.StrictJson;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The platform's summaries ({@code <prefix>data.summary}, Kafka Connect's format A) on the
 * embedded stack: a summary reaches every clinic record of its user with upstream's export rules,
 * a redelivery writes nothing, a deleted summary leaves every record.
 */
@ExtendWith(TestStackExtension.class)
class PatientSummaryWorkerTest {
  private static final String USER = "5a5a5a5a5a";
  private static TestStack stack;
  private static String admin;
  private static KafkaProducer<String, String> producer;
  private static List<String> clinics;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start();
    admin = stack.userToken("a2a2a2a2a2", "summary.admin@example.org", "Sam Admin");
    clinics = List.of(createClinic(stack, admin, "Summary Clinic A"), createClinic(stack, admin, "Summary Clinic B"));
    for (String clinicId : clinics) {
      stack.clinicDb().insert("patients", new JsonObject().put("_id", oid(new ObjectId().toHexString())).put("clinicId", oid(clinicId))
          .put("userId", USER).put("fullName", "Sue Mary").put("birthDate", "2001-02-03")
          .put("permissions", new JsonObject().put("view", new JsonObject()))).await();
    }
    producer = WorkerTestSupport.producer(stack.kafkaBrokers());
  }

  @AfterAll
  static void stop() {
    producer.close();
  }

  @Test
  void aSummaryReachesEveryClinicRecordOfItsUserOnceAndItsDeletionRemovesIt() {
    String summaryId = new ObjectId().toHexString();
    JsonObject insert = event("insert", "summary", summaryId, cgmSummary());
    publish(insert);

    for (String clinicId : clinics) {
      JsonObject stats = Eventually.await(stack.vertx(), "the summary on the record in " + clinicId, () -> {
        JsonObject summary = patient(clinicId).getJsonObject("summary");
        return summary == null ? null : summary.getJsonObject("cgmStats");
      });
      assertThat(stats.getString("id")).isEqualTo(summaryId);
      assertThat(stats.getJsonObject("config").getDouble("lowGlucoseThreshold")).isEqualTo(3.9);
      JsonObject dates = stats.getJsonObject("dates");
      assertThat(dates.getBoolean("hasLastData")).isTrue();
      assertThat(dates.getString("lastData")).startsWith("2026-11-30T09:55:00");
      assertThat(dates.getBoolean("hasOutdatedSince")).isFalse();
      assertThat(dates.getJsonArray("lastUpdatedReason")).containsExactly("UPLOAD_COMPLETED");

      // 14 days with 18000 minutes of CGM use at 89 %: ranges, GMI and their deltas are shown
      JsonObject twoWeeks = stats.getJsonObject("periods").getJsonObject("14d");
      assertThat(twoWeeks.getBoolean("hasTimeInTargetPercent")).isTrue();
      assertThat(twoWeeks.getDouble("timeInTargetPercent")).isEqualTo(0.66);
      assertThat(twoWeeks.getDouble("timeInTargetPercentDelta")).isEqualTo(0.05);
      assertThat(twoWeeks.getInteger("timeInTargetMinutes")).isEqualTo(12000);
      assertThat(twoWeeks.getDouble("glucoseManagementIndicator")).isEqualTo(6.8);
      assertThat(twoWeeks.getDouble("averageGlucoseMmol")).isEqualTo(8.1);
      assertThat(twoWeeks.getDouble("standardDeviation")).isEqualTo(2.0);
      assertThat(twoWeeks.getInteger("totalRecords")).isEqualTo(3600);
      // 1 day at 50 % CGM use: no time-in-range percents, no GMI, but the counts and the average
      JsonObject oneDay = stats.getJsonObject("periods").getJsonObject("1d");
      assertThat(oneDay.getDouble("timeCGMUsePercent")).isEqualTo(0.5);
      assertThat(oneDay.getDouble("averageGlucoseMmol")).isEqualTo(7.2);
      assertThat(oneDay.getInteger("timeInTargetRecords")).isEqualTo(100);
      assertThat(oneDay.containsKey("timeInTargetPercent")).isFalse();
      assertThat(oneDay.getBoolean("hasTimeInTargetPercent", false)).isFalse();
      assertThat(oneDay.containsKey("glucoseManagementIndicator")).isFalse();
    }
    List<Integer> revisions = clinics.stream().map(PatientSummaryWorkerTest::revision).toList();

    // delivered again, then the summary's deletion (handled after it: the same summary document)
    publish(insert);
    publish(event("delete", "summary", summaryId, null));

    for (String clinicId : clinics) {
      Eventually.await(stack.vertx(), "the summary gone from the record in " + clinicId,
          () -> patient(clinicId).containsKey("summary") && patient(clinicId).getJsonObject("summary").containsKey("cgmStats") ? null : true);
    }
    // the deletion was the only write since the first copy
    assertThat(clinics.stream().map(PatientSummaryWorkerTest::revision).toList())
        .isEqualTo(revisions.stream().map(revision -> revision + 1).toList());
  }

  @Test
  void continuousSummariesAndSummariesWithoutAUserAreSkipped() {
    String userless = new ObjectId().toHexString();
    publish(event("insert", "summary", new ObjectId().toHexString(), cgmSummary().put("type", "con")));
    publish(event("insert", "summary", userless, cgmSummary().put("userId", "")));
    // a later, ordinary summary of the user is copied; the two before it did nothing
    String bgmId = new ObjectId().toHexString();
    publish(event("insert", "summary", bgmId, new JsonObject().put("type", "bgm").put("userId", USER)
        .put("dates", new JsonObject().put("lastUpdatedDate", new JsonObject().put("$date", "2026-11-30T10:00:00Z")))
        .put("periods", new JsonObject().put("7d", new JsonObject().put("cgmUse", new JsonObject().put("records", 20).put("percent", 1.0))
            .put("inTarget", new JsonObject().put("records", 15).put("percent", 0.75)).put("daysWithData", 7).put("SD", 1.1)))));

    JsonObject bgm = Eventually.await(stack.vertx(), "the bgm summary", () -> {
      JsonObject summary = patient(clinics.get(0)).getJsonObject("summary");
      return summary == null ? null : summary.getJsonObject("bgmStats");
    });
    assertThat(bgm.getString("id")).isEqualTo(bgmId);
    JsonObject week = bgm.getJsonObject("periods").getJsonObject("7d");
    assertThat(week.getDouble("timeInTargetPercent")).isEqualTo(0.75);
    // fewer than 30 readings: no standard deviation
    assertThat(week.containsKey("standardDeviation")).isFalse();
    JsonObject summary = patient(clinics.get(0)).getJsonObject("summary");
    assertThat(summary.getJsonObject("cgmStats") == null || !userless.equals(summary.getJsonObject("cgmStats").getString("id"))).isTrue();
  }

  private static JsonObject cgmSummary() {
    JsonObject delta = new JsonObject().put("inTarget", new JsonObject().put("percent", 0.05)).put("GMI", -0.1);
    return new JsonObject().put("type", "cgm").put("userId", USER)
        .put("config", new JsonObject().put("schemaVersion", 5).put("highGlucoseThreshold", 10.0).put("veryHighGlucoseThreshold", 13.9)
            .put("lowGlucoseThreshold", 3.9).put("veryLowGlucoseThreshold", 3.0))
        .put("dates", new JsonObject().put("lastUpdatedDate", new JsonObject().put("$date", "2026-11-30T10:00:00Z"))
            .put("lastUpdatedReason", new JsonArray().add("UPLOAD_COMPLETED")).put("outdatedReason", new JsonArray())
            .put("lastUploadDate", new JsonObject().put("$date", "2026-11-30T09:58:00Z"))
            .put("firstData", new JsonObject().put("$date", "2026-10-01T00:00:00Z"))
            .put("lastData", new JsonObject().put("$date", "2026-11-30T09:55:00Z")))
        .put("periods", new JsonObject()
            .put("1d", new JsonObject().put("cgmUse", new JsonObject().put("minutes", 720).put("records", 144).put("percent", 0.5))
                .put("inTarget", new JsonObject().put("minutes", 500).put("records", 100).put("percent", 0.69))
                .put("avgGlucose", 7.2).put("GMI", 6.1).put("SD", 1.5).put("CV", 0.2).put("daysWithData", 1).put("hoursWithData", 12))
            .put("14d", new JsonObject().put("cgmUse", new JsonObject().put("minutes", 18000).put("records", 3600).put("percent", 0.89))
                .put("inTarget", new JsonObject().put("minutes", 12000).put("records", 2400).put("percent", 0.66))
                .put("avgGlucose", 8.1).put("GMI", 6.8).put("SD", 2.0).put("CV", 0.25).put("daysWithData", 14).put("hoursWithData", 300)
                .put("delta", delta)));
  }

  private static JsonObject patient(String clinicId) {
    var response = call(stack, HttpMethod.GET, "/v1/clinics/" + clinicId + "/patients/" + USER, admin, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static int revision(String clinicId) {
    JsonObject record = stack.clinicDb().findOne("patients", new JsonObject().put("clinicId", oid(clinicId)).put("userId", USER), null).await();
    return record.getInteger("revision", 0);
  }

  /** As Kafka Connect publishes the platform's summaries: format A, keyed by the resume token. */
  private static void publish(JsonObject change) {
    String topic = stack.namespace().topicPrefix() + "data.summary";
    WorkerTestSupport.send(producer, new ProducerRecord<>(topic, StrictJson.formatA(new JsonObject().put("_id", change.getJsonObject("_id"))),
        StrictJson.formatA(change)));
  }
}
