package org.tidepool.clinic.cdc.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.cdc.ChangeEvents.event;
import static org.tidepool.clinic.cdc.ChangeEvents.oid;
import static org.tidepool.clinic.cdc.ChangeEvents.update;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.cdc.consumer.DeadLetterReplay;
import org.tidepool.clinic.cdc.consumer.DeadLetters;
import org.tidepool.clinic.cdc.relay.StrictJson;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Mailbox.Mail;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.tidepool.clinic.testing.TopicReader;

/**
 * The worker's patient duties in tidepool mode, on change events in Kafka Connect's shape
 * (format A, keyed by resume token, dotted update keys) against WireMock stand-ins of
 * shoreline, seagull, hydrophone, the data service, platform auth and Marketo: the calls and
 * their bodies, the mails, redelivery without a second effect, and a failing port's retries,
 * dead letter and replay.
 */
@ExtendWith(TestStackExtension.class)
class PatientWorkerTidepoolTest {
  static final String SESSION = "x-tidepool-session-token";
  static final String OWN_TOKEN = "worker-session";
  static WireMockServer tidepool;
  static TestStack stack;
  static KafkaProducer<String, String> producer;
  static String clinicId = new ObjectId().toHexString();
  static String patientsTopic;

  @BeforeAll
  static void start(TestStacks stacks) {
    tidepool = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    tidepool.start();
    tidepool.stubFor(post(urlEqualTo("/auth/serverlogin")).willReturn(aResponse().withStatus(200).withHeader(SESSION, OWN_TOKEN)));
    tidepool.stubFor(post(urlPathEqualTo("/data/v1/notifications/account/claims")).willReturn(aResponse().withStatus(200)));
    tidepool.stubFor(post(urlPathEqualTo("/data/v1/notifications/account/connections")).willReturn(aResponse().withStatus(200)));
    tidepool.stubFor(post(urlEqualTo("/marketo/v1/users/d4d4d4d4d4/marketo")).willReturn(aResponse().withStatus(200)));
    stack = stacks.start(new JsonObject()
        .put("ROLES", "store,cdc-consumer,mail")
        .put("CDC_RETRY_ATTEMPTS", 3)
        .put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", tidepool.baseUrl() + "/auth")
        .put("TIDEPOOL_SEAGULL_CLIENT_ADDRESS", tidepool.baseUrl() + "/metadata")
        .put("TIDEPOOL_CONFIRMATION_CLIENT_ADDRESS", tidepool.baseUrl() + "/confirm")
        .put("TIDEPOOL_DATA_CLIENT_ADDRESS", tidepool.baseUrl() + "/data")
        .put("TIDEPOOL_DOCKER_PLATFORM_AUTH_HOST", tidepool.baseUrl() + "/platform-auth")
        .put("TIDEPOOL_MARKETO_SERVICE_HOST", tidepool.baseUrl() + "/marketo")
        .put("TIDEPOOL_SERVER_TOKEN", "server-secret"));
    stack.clinicDb().insert("clinics", new JsonObject().put("_id", oid(clinicId)).put("name", "Stub Clinic")
        .put("admins", new JsonArray().add("a0a0a0a0a0"))).await();
    producer = WorkerTestSupport.producer(stack.kafkaBrokers());
    patientsTopic = stack.namespace().topicPrefix() + "clinic.patients";
  }

  @AfterAll
  static void stop() {
    producer.close();
    tidepool.stop();
  }

  @Test
  void aNewCustodialPatientSyncsTheProfileAsksHydrophoneToInviteAndSchedulesTheClaimReminder() {
    String userId = "e5e5e5e5e5";
    user(userId, "cus.todial@example.org");
    tidepool.stubFor(get(urlEqualTo("/metadata/" + userId + "/profile"))
        .willReturn(okJson(new JsonObject().put("fullName", "Old Name").put("patient", new JsonObject().put("about", "kept")).encode())));
    tidepool.stubFor(post(urlEqualTo("/metadata/" + userId + "/profile")).willReturn(aResponse().withStatus(200)));
    tidepool.stubFor(post(urlEqualTo("/confirm/confirm/send/signup/" + userId))
        .willReturn(okJson("{}")));

    publish(event("insert", "patients", new ObjectId().toHexString(), custodial(userId, "cus.todial@example.org")));

    LoggedRequest invite = awaitOne(postRequestedFor(urlEqualTo("/confirm/confirm/send/signup/" + userId)));
    assertThat(invite.getHeader(SESSION)).isEqualTo(OWN_TOKEN);
    assertThat(new JsonObject(invite.getBodyAsString())).isEqualTo(new JsonObject().put("clinicId", clinicId).put("invitedBy", "a0a0a0a0a0"));
    JsonObject profile = new JsonObject(awaitOne(postRequestedFor(urlEqualTo("/metadata/" + userId + "/profile"))).getBodyAsString());
    assertThat(profile.getString("fullName")).isEqualTo("Cus Todial");
    assertThat(profile.getString("email")).isEqualTo("cus.todial@example.org");
    assertThat(profile.getJsonObject("patient")).isEqualTo(new JsonObject().put("about", "kept").put("birthday", "2012-08-30")
        .put("mrn", "M-1").put("emails", new JsonArray().add("cus.todial@example.org")));
    JsonObject claim = new JsonObject(awaitOne(postRequestedFor(urlEqualTo("/data/v1/notifications/account/claims"))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(userId))).getBodyAsString());
    assertThat(claim.getString("clinicId")).isEqualTo(clinicId);
    assertThat(Instant.parse(claim.getString("whenToSend"))).isAfter(Instant.now().plus(Duration.ofDays(6)));
  }

  @Test
  void aConnectionRequestInDottedKeysRevokesTheOldLinkMailsANewOneAndARedeliveryDoesNothing() {
    String userId = "f6f6f6f6f6";
    user(userId, "re.connect@example.org");
    tidepool.stubFor(get(urlEqualTo("/platform-auth/v1/users/" + userId + "/restricted_tokens")).willReturn(okJson(new JsonArray()
        .add(new JsonObject().put("id", "0ld0000000000000000000000000dead").put("paths", new JsonArray().add("/v1/oauth/dexcom")))
        .add(new JsonObject().put("id", "0th3r000000000000000000000000000").put("paths", new JsonArray().add("/v1/oauth/twiist")))
        .encode())));
    tidepool.stubFor(delete(urlEqualTo("/platform-auth/v1/restricted_tokens/0ld0000000000000000000000000dead"))
        .willReturn(aResponse().withStatus(200)));
    tidepool.stubFor(post(urlEqualTo("/platform-auth/v1/users/" + userId + "/restricted_tokens"))
        .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
            .withBody(new JsonObject().put("id", "n3w00000000000000000000000000001").encode())));
    JsonObject patient = new JsonObject().put("clinicId", oid(clinicId)).put("userId", userId).put("fullName", "Rita Reconnect")
        .put("permissions", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()))
        .put("dataSources", new JsonArray().add(new JsonObject().put("providerName", "dexcom").put("state", "pendingReconnect")))
        .put("providerConnectionRequests", new JsonObject().put("dexcom", requests()));
    // the fixture's shape: the whole array under the dotted key, beside another dotted key
    JsonObject change = update("patients", new ObjectId().toHexString(), patient, new JsonObject()
        .put("providerConnectionRequests.dexcom", requests())
        .put("dataSources.0.expirationTime", new JsonObject().put("$date", "2026-12-01T00:00:00Z")));
    publish(change);

    Mail mail = stack.mailbox().awaitFor("re.connect@example.org");
    assertThat(mail.subject()).isEqualTo("Stub Clinic Follow Up - Reconnect your Dexcom Account to Tidepool");
    assertThat(mail.text()).contains("restricted_token=n3w00000000000000000000000000001").contains("Rita Reconnect");
    JsonObject created = new JsonObject(awaitOne(postRequestedFor(urlEqualTo("/platform-auth/v1/users/" + userId + "/restricted_tokens")))
        .getBodyAsString());
    assertThat(created.getJsonArray("paths")).containsExactly("/v1/oauth/dexcom");
    assertThat(Instant.parse(created.getString("expirationTime"))).isAfter(Instant.now().plus(Duration.ofDays(29)));
    awaitOne(deleteRequestedFor(urlEqualTo("/platform-auth/v1/restricted_tokens/0ld0000000000000000000000000dead")));
    JsonObject reminder = new JsonObject(awaitOne(postRequestedFor(urlEqualTo("/data/v1/notifications/account/connections"))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(userId))).getBodyAsString());
    assertThat(reminder.getString("emailTemplate")).isEqualTo("reminder_dexcom_connect_custodial");
    assertThat(reminder.getString("restrictedTokenId")).isEqualTo("n3w00000000000000000000000000001");
    assertThat(reminder.getString("email")).isEqualTo("re.connect@example.org");
    assertThat(reminder.getString("patientName")).isEqualTo("Rita Reconnect");

    publish(change); // delivered again
    publish(update("patients", change.getJsonObject("documentKey").getJsonObject("_id").getString("$oid"), patient,
        new JsonObject().put("lastUploadReminderTime", new JsonObject().put("$date", "2026-11-30T10:00:00Z"))));
    stack.mailbox().awaitCount("re.connect@example.org", 2);
    assertThat(stack.mailbox().to("re.connect@example.org").stream().map(Mail::subject)).containsExactly(
        "Stub Clinic Follow Up - Reconnect your Dexcom Account to Tidepool", "Reminder to upload your data to Tidepool");
    assertThat(tidepool.findAll(postRequestedFor(urlEqualTo("/platform-auth/v1/users/" + userId + "/restricted_tokens")))).hasSize(1);
    assertThat(tidepool.findAll(deleteRequestedFor(urlPathEqualTo("/platform-auth/v1/restricted_tokens/0ld0000000000000000000000000dead"))))
        .hasSize(1);
  }

  @Test
  void aFailingHydrophoneIsRetriedThenDeadLetteredAndTheReplaySucceedsOnceItIsBack() throws Exception {
    String userId = "a7a7a7a7a7";
    user(userId, "dead.letter@example.org");
    tidepool.stubFor(get(urlEqualTo("/metadata/" + userId + "/profile")).willReturn(aResponse().withStatus(404)));
    tidepool.stubFor(post(urlEqualTo("/metadata/" + userId + "/profile")).willReturn(aResponse().withStatus(200)));
    tidepool.stubFor(post(urlEqualTo("/confirm/confirm/send/signup/" + userId)).willReturn(aResponse().withStatus(500)));

    JsonObject insert = event("insert", "patients", new ObjectId().toHexString(), custodial(userId, "dead.letter@example.org"));
    publish(insert);

    TopicReader.Received letter = TopicReader.first(stack.kafkaBrokers(), stack.namespace().id() + "-clinic-worker-dl",
        record -> record.value().contains(userId));
    assertThat(letter.headers()).containsEntry(DeadLetters.ORIGINAL_TOPIC, patientsTopic);
    assertThat(letter.headers().get(DeadLetters.ERROR)).contains("hydrophone answered status 500");
    assertThat(tidepool.findAll(postRequestedFor(urlEqualTo("/confirm/confirm/send/signup/" + userId)))).hasSize(3);

    tidepool.stubFor(post(urlEqualTo("/confirm/confirm/send/signup/" + userId)).willReturn(okJson("{}")));
    Integer replayed = DeadLetterReplay.replay(stack.vertx(), new Settings(stack.app().config())).await(2, TimeUnit.MINUTES);
    assertThat(replayed).isGreaterThanOrEqualTo(1);
    awaitOne(postRequestedFor(urlEqualTo("/data/v1/notifications/account/claims"))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(userId)));
    assertThat(tidepool.findAll(postRequestedFor(urlEqualTo("/confirm/confirm/send/signup/" + userId)))).hasSize(4);
  }

  @Test
  void aVanishedUserAtHydrophoneIsNoFailure() {
    String userId = "b8b8b8b8b8";
    tidepool.stubFor(get(urlEqualTo("/auth/user/" + userId)).willReturn(aResponse().withStatus(404)));
    tidepool.stubFor(get(urlEqualTo("/metadata/" + userId + "/profile")).willReturn(aResponse().withStatus(404)));
    tidepool.stubFor(post(urlEqualTo("/metadata/" + userId + "/profile")).willReturn(aResponse().withStatus(404)));
    tidepool.stubFor(post(urlEqualTo("/confirm/confirm/send/signup/" + userId))
        .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json").withBody("{\"code\":404,\"reason\":\"gone\"}")));

    publish(event("insert", "patients", new ObjectId().toHexString(), custodial(userId, "vanished@example.org")));

    awaitOne(postRequestedFor(urlEqualTo("/confirm/confirm/send/signup/" + userId)));
    // handled in one attempt: no retry, no claim reminder
    publish(event("insert", "patients", new ObjectId().toHexString(), custodial(userId, "vanished@example.org")));
    awaitCount(postRequestedFor(urlEqualTo("/confirm/confirm/send/signup/" + userId)), 2);
    assertThat(tidepool.findAll(postRequestedFor(urlEqualTo("/data/v1/notifications/account/claims"))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(userId)))).isEmpty();
  }

  @Test
  void anArchivedCustodialPatientIsDeletedAtShorelineWithoutDataAndLosesItsEmailsWithData() {
    tidepool.stubFor(get(urlEqualTo("/data/v1/users/c9c9c9c9c9/data_sets?size=1")).willReturn(okJson("[]")));
    tidepool.stubFor(delete(urlEqualTo("/auth/user/c9c9c9c9c9")).willReturn(aResponse().withStatus(204)));
    tidepool.stubFor(get(urlEqualTo("/data/v1/users/d9d9d9d9d9/data_sets?size=1")).willReturn(okJson("[{\"id\":\"set1\"}]")));
    tidepool.stubFor(put(urlEqualTo("/auth/user/d9d9d9d9d9")).willReturn(aResponse().withStatus(200)));
    String deletionsTopic = stack.namespace().topicPrefix() + "clinic.patient_deletions";

    publish(deletionsTopic, event("insert", "patient_deletions", new ObjectId().toHexString(), new JsonObject()
        .put("patient", custodial("c9c9c9c9c9", "no.data@example.org"))));
    publish(deletionsTopic, event("insert", "patient_deletions", new ObjectId().toHexString(), new JsonObject()
        .put("patient", custodial("d9d9d9d9d9", "has.data@example.org"))));

    awaitOne(deleteRequestedFor(urlEqualTo("/auth/user/c9c9c9c9c9")));
    LoggedRequest blanked = awaitOne(putRequestedFor(urlEqualTo("/auth/user/d9d9d9d9d9")));
    assertThat(new JsonObject(blanked.getBodyAsString())).isEqualTo(new JsonObject().put("updates",
        new JsonObject().put("emails", new JsonArray())));
  }

  @Test
  void aClinicianWriteRefreshesMarketo() {
    publish(stack.namespace().topicPrefix() + "clinic.clinicians", event("insert", "clinicians", new ObjectId().toHexString(),
        new JsonObject().put("clinicId", oid(clinicId)).put("userId", "d4d4d4d4d4").put("roles", new JsonArray().add("CLINIC_MEMBER"))));

    assertThat(awaitOne(postRequestedFor(urlEqualTo("/marketo/v1/users/d4d4d4d4d4/marketo"))).getHeader(SESSION)).isEqualTo(OWN_TOKEN);
  }

  @Test
  void aDataSourceInErrorIsMirroredAndTheDataServiceNotifiesWithAnExtendedToken() {
    String userId = "e0e0e0e0e0";
    user(userId, "device.issue@example.org");
    String sourceId = new ObjectId().toHexString();
    tidepool.stubFor(get(urlEqualTo("/data/v1/users/" + userId + "/data_sources")).willReturn(okJson(new JsonArray().add(new JsonObject()
        .put("id", "ds1").put("providerName", "dexcom").put("state", "error").put("modifiedTime", "2026-11-30T08:00:00Z")).encode())));
    tidepool.stubFor(get(urlEqualTo("/metadata/" + userId + "/profile")).willReturn(okJson("{\"fullName\": \"Dev Ice\"}")));
    tidepool.stubFor(get(urlEqualTo("/platform-auth/v1/users/" + userId + "/restricted_tokens")).willReturn(okJson(new JsonArray()
        .add(new JsonObject().put("id", "ext00000000000000000000000000001").put("paths", new JsonArray().add("/v1/oauth/dexcom"))).encode())));
    tidepool.stubFor(put(urlEqualTo("/platform-auth/v1/restricted_tokens/ext00000000000000000000000000001"))
        .willReturn(okJson("{\"id\": \"ext00000000000000000000000000001\"}")));
    tidepool.stubFor(post(urlEqualTo("/data/v1/notifications/device/issues")).willReturn(aResponse().withStatus(200)));
    stack.clinicDb().insert("patients", new JsonObject().put("_id", oid(new ObjectId().toHexString())).put("clinicId", oid(clinicId))
        .put("userId", userId).put("fullName", "Dev Ice")
        .put("permissions", new JsonObject().put("view", new JsonObject()))).await();

    publish(stack.namespace().topicPrefix() + "tidepool.data_sources", update("data_sources", sourceId,
        new JsonObject().put("userId", userId).put("providerName", "dexcom").put("state", "error"),
        new JsonObject().put("state", "error")));

    JsonObject notice = new JsonObject(awaitOne(postRequestedFor(urlEqualTo("/data/v1/notifications/device/issues"))).getBodyAsString());
    assertThat(notice).isEqualTo(new JsonObject().put("dataSourceState", "error").put("dataSourceId", sourceId)
        .put("emailTemplate", "device_issue_dexcom_shared").put("providerName", "dexcom")
        .put("restrictedTokenId", "ext00000000000000000000000000001").put("userId", userId).put("fullName", "Dev Ice"));
    JsonObject mirrored = Eventually.await(stack.vertx(), "the mirrored source", () -> {
      JsonObject record = stack.clinicDb().findOne("patients", new JsonObject().put("userId", userId), null).await();
      return record.getJsonArray("dataSources") == null ? null : record.getJsonArray("dataSources").getJsonObject(0);
    });
    assertThat(mirrored.getString("providerName")).isEqualTo("dexcom");
    assertThat(mirrored.getString("state")).isEqualTo("error");
  }

  @Test
  void aNewPatientGetsTheSummaryTheDataServiceHasAlready() {
    String userId = "f1f1f1f1f1";
    String summaryId = new ObjectId().toHexString();
    tidepool.stubFor(get(urlEqualTo("/data/v1/summaries/cgm/" + userId)).willReturn(okJson(new JsonObject().put("id", summaryId)
        .put("type", "cgm").put("userId", userId)
        .put("config", new JsonObject().put("schemaVersion", 5).put("lowGlucoseThreshold", 3.9))
        .put("dates", new JsonObject().put("lastUpdatedDate", "2026-11-30T10:00:00Z").put("lastUploadDate", "2026-11-20T10:00:00Z")
            .put("lastData", "2026-11-30T09:55:00Z").put("lastUpdatedReason", new JsonArray().add("UPLOAD_COMPLETED")))
        .put("periods", new JsonObject().put("7d", new JsonObject()
            .put("cgmUse", new JsonObject().put("minutes", 9000).put("records", 1800).put("percent", 0.9))
            .put("inVeryLow", new JsonObject().put("minutes", 90).put("records", 18).put("percent", 0.01))
            .put("averageGlucoseMmol", 7.7).put("glucoseManagementIndicator", 6.5).put("daysWithData", 7))).encode())));
    tidepool.stubFor(get(urlEqualTo("/data/v1/summaries/bgm/" + userId)).willReturn(aResponse().withStatus(404)));
    String patientId = new ObjectId().toHexString();
    JsonObject patient = new JsonObject().put("clinicId", oid(clinicId)).put("userId", userId).put("fullName", "Nu Patient")
        .put("permissions", new JsonObject().put("view", new JsonObject()));
    stack.clinicDb().insert("patients", patient.copy().put("_id", oid(patientId))).await();

    publish(event("insert", "patients", patientId, patient));

    JsonObject stats = Eventually.await(stack.vertx(), "the initial summary", () -> {
      JsonObject summary = stack.clinicDb().findOne("patients", new JsonObject().put("userId", userId), null).await().getJsonObject("summary");
      return summary == null ? null : summary.getJsonObject("cgmStats");
    });
    assertThat(stats.getString("id")).isEqualTo(summaryId);
    // upstream's quirk on this path: the upload date is the summary's last update
    assertThat(Instant.parse(stats.getJsonObject("dates").getJsonObject("lastUploadDate").getString("$date")))
        .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
    JsonObject week = stats.getJsonObject("periods").getJsonObject("7d");
    assertThat(week.getDouble("timeInVeryLowPercent")).isEqualTo(0.01);
    assertThat(week.getDouble("glucoseManagementIndicator")).isEqualTo(6.5);
    assertThat(awaitOne(getRequestedFor(urlEqualTo("/data/v1/summaries/bgm/" + userId))).getHeader(SESSION)).isEqualTo(OWN_TOKEN);
    assertThat(stack.clinicDb().findOne("patients", new JsonObject().put("userId", userId), null).await().containsKey("summary")
        && !stack.clinicDb().findOne("patients", new JsonObject().put("userId", userId), null).await().getJsonObject("summary")
        .containsKey("bgmStats")).isTrue();
  }

  @Test
  void aFailingUserEventIsRetriedThenDeadLetteredOnItsOwnTopicAndTheReplayAppliesIt() throws Exception {
    String userId = "c1c1c1c1c1";
    String clinicianId = new ObjectId().toHexString();
    String otherId = new ObjectId().toHexString();
    stack.clinicDb().insert("clinicians", new JsonObject().put("_id", oid(clinicianId)).put("clinicId", oid(clinicId))
        .put("userId", userId).put("email", "mover@example.org").put("name", "Mo Ver").put("roles", new JsonArray().add("CLINIC_MEMBER")))
        .await();
    // another clinician of the clinic holds the new address: the store refuses (422), every retry too
    stack.clinicDb().insert("clinicians", new JsonObject().put("_id", oid(otherId)).put("clinicId", oid(clinicId))
        .put("inviteId", "inv-1").put("email", "taken@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER"))).await();
    String userEvents = stack.namespace().id() + "-user-events";

    WorkerTestSupport.publishUserEvent(producer, userEvents, userId, "users:update", new JsonObject()
        .put("original", new JsonObject().put("userid", userId).put("username", "mover@example.org"))
        .put("updated", new JsonObject().put("userid", userId).put("username", "taken@example.org")));

    TopicReader.Received letter = TopicReader.first(stack.kafkaBrokers(), stack.namespace().id() + "-user-events-clinic-worker-dl",
        record -> userId.equals(record.key()));
    assertThat(letter.headers()).containsEntry(DeadLetters.ORIGINAL_TOPIC, userEvents).containsEntry("ce_type", "users:update");
    assertThat(letter.headers().get(DeadLetters.ERROR)).contains("used by another clinician");
    assertThat(emailOf(clinicianId)).isEqualTo("mover@example.org");

    stack.clinicDb().removeDocument("clinicians", new JsonObject().put("_id", oid(otherId))).await();
    Integer replayed = DeadLetterReplay.replay(stack.vertx(), new Settings(stack.app().config())).await(2, TimeUnit.MINUTES);
    assertThat(replayed).isGreaterThanOrEqualTo(1);
    Eventually.await(stack.vertx(), "the replayed email change", () -> "taken@example.org".equals(emailOf(clinicianId)) ? true : null);
  }

  private static String emailOf(String clinicianId) {
    return stack.clinicDb().findOne("clinicians", new JsonObject().put("_id", oid(clinicianId)), null).await().getString("email");
  }

  private static JsonArray requests() {
    return new JsonArray()
        .add(new JsonObject().put("providerName", "dexcom").put("createdTime", new JsonObject().put("$date", "2026-11-30T09:00:00Z")))
        .add(new JsonObject().put("providerName", "dexcom").put("createdTime", new JsonObject().put("$date", "2026-11-01T09:00:00Z")));
  }

  private static JsonObject custodial(String userId, String email) {
    return new JsonObject().put("clinicId", oid(clinicId)).put("userId", userId).put("fullName", "Cus Todial")
        .put("birthDate", "2012-08-30").put("mrn", "M-1").put("email", email).put("invitedBy", "a0a0a0a0a0")
        .put("permissions", new JsonObject().put("custodian", new JsonObject()).put("view", new JsonObject())
            .put("upload", new JsonObject()).put("note", new JsonObject()));
  }

  private static void user(String userId, String email) {
    tidepool.stubFor(get(urlEqualTo("/auth/user/" + userId)).withHeader(SESSION, equalTo(OWN_TOKEN)).willReturn(okJson(new JsonObject()
        .put("userid", userId).put("username", email).put("emails", new JsonArray().add(email)).encode())));
  }

  private static void publish(JsonObject change) {
    publish(patientsTopic, change);
  }

  /** As Kafka Connect publishes it: format A, keyed by the resume token. */
  private static void publish(String topic, JsonObject change) {
    WorkerTestSupport.send(producer, new ProducerRecord<>(topic, StrictJson.formatA(new JsonObject().put("_id", change.getJsonObject("_id"))),
        StrictJson.formatA(change)));
  }

  private static LoggedRequest awaitOne(RequestPatternBuilder pattern) {
    return awaitCount(pattern, 1).get(0);
  }

  private static List<LoggedRequest> awaitCount(RequestPatternBuilder pattern, int count) {
    return Eventually.await(stack.vertx(), count + " x " + pattern.build(), () -> {
      List<LoggedRequest> found = tidepool.findAll(pattern);
      return found.size() >= count ? found : null;
    });
  }

}
