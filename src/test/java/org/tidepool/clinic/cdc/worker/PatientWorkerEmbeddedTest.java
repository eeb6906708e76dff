package org.tidepool.clinic.cdc.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.call;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.createClinic;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.createCustodialPatient;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Mailbox.Mail;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.tidepool.clinic.testing.TopicReader;

/**
 * The clinic-worker's patient duties on the embedded stack (no Tidepool platform, mails over
 * SMTP): the custodial invite the service sends itself, the profile sync, upload reminders,
 * provider connection mails with their restricted tokens, redelivery without a second effect,
 * email changes, deletions and the user events.
 */
@ExtendWith(TestStackExtension.class)
class PatientWorkerEmbeddedTest {
  private static final Pattern TOKEN = Pattern.compile("restricted_token=([0-9a-f]{32})");
  private static TestStack stack;
  private static String admin;
  private static String clinicId;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start();
    admin = stack.userToken("a1a1a1a1a1", "worker.admin@example.org", "Dana Admin");
    clinicId = createClinic(stack, admin, "Worker Clinic");
    producer = WorkerTestSupport.producer(stack.kafkaBrokers());
  }

  @AfterAll
  static void stop() {
    producer.close();
  }

  @Test
  void aCustodialAccountIsInvitedOnceWithAClaimLinkAndItsProfileFollowsTheRecord() {
    String userId = createCustodialPatient(stack, admin, clinicId, "Pat Custodial", "pat.invite@example.org");

    Mail invite = stack.mailbox().awaitFor("pat.invite@example.org");
    assertThat(invite.subject()).isEqualTo("Worker Clinic has created a Tidepool account for you");
    assertThat(invite.text()).contains("Dana Admin at Worker Clinic").contains("Pat Custodial")
        .containsPattern("http://localhost:3000/signup/custodial\\?signupKey=[0-9a-f]{32}&signupEmail=pat.invite%40example.org");
    JsonObject profile = Eventually.await(stack.vertx(), "the profile of " + userId, () -> profileOf(userId));
    assertThat(profile.getString("fullName")).isEqualTo("Pat Custodial");
    assertThat(profile.getJsonObject("patient").getString("birthday")).isEqualTo("2012-08-30");
    assertThat(profile.getJsonObject("patient").getJsonArray("emails")).containsExactly("pat.invite@example.org");

    String path = "/v1/clinics/" + clinicId + "/patients/" + userId;
    assertThat(call(stack, HttpMethod.PUT, path, admin, new JsonObject().put("fullName", "Pat Renamed").put("birthDate", "2012-08-30")
        .put("email", "pat.invite@example.org").put("mrn", "MRN-7")).statusCode()).isEqualTo(200);
    // the reminder's change follows the rename's (same record, so handled after it)
    assertThat(call(stack, HttpMethod.POST, path + "/upload_reminder", admin, null).statusCode()).isEqualTo(200);
    stack.mailbox().awaitCount("pat.invite@example.org", 2);
    assertThat(Eventually.await(stack.vertx(), "the renamed profile", () -> {
      JsonObject renamed = profileOf(userId);
      return renamed != null && "Pat Renamed".equals(renamed.getString("fullName")) ? renamed : null;
    }).getJsonObject("patient").getString("mrn")).isEqualTo("MRN-7");
    assertThat(subjectsTo("pat.invite@example.org"))
        .containsExactly("Worker Clinic has created a Tidepool account for you", "Reminder to upload your data to Tidepool");
  }

  @Test
  void aProviderConnectionRequestMailsARestrictedTokenOnceAndANewRequestRevokesTheOldOne() throws Exception {
    String email = "pat.connect@example.org";
    String userId = createCustodialPatient(stack, admin, clinicId, "Connie Patient", email);
    stack.mailbox().awaitFor(email); // the invite
    String path = "/v1/clinics/" + clinicId + "/patients/" + userId;

    assertThat(call(stack, HttpMethod.POST, path + "/connect/dexcom", admin, null).statusCode()).isEqualTo(204);
    Mail first = stack.mailbox().awaitCount(email, 2).get(1);
    assertThat(first.subject()).isEqualTo("Worker Clinic Follow Up - Connect your Dexcom Account to Tidepool");
    assertThat(first.text()).contains("Connie Patient");
    String firstToken = tokenIn(first);
    assertThat(tokensOf(userId)).containsExactly(firstToken);

    // the same change delivered again (a consumer restart, a replay): no second mail, the token stays
    TopicReader.Received connectChange = TopicReader.first(stack.kafkaBrokers(), stack.namespace().topicPrefix() + "clinic.patients",
        record -> WorkerTestSupport.event(record).getJsonObject("updateDescription", new JsonObject())
            .getJsonObject("updatedFields", new JsonObject()).fieldNames().stream().anyMatch(key -> key.startsWith("providerConnectionRequests"))
            && userId.equals(WorkerTestSupport.event(record).getJsonObject("fullDocument").getString("userId")));
    WorkerTestSupport.send(producer, new ProducerRecord<>(stack.namespace().topicPrefix() + "clinic.patients", connectChange.key(),
        connectChange.value()));
    assertThat(call(stack, HttpMethod.POST, path + "/upload_reminder", admin, null).statusCode()).isEqualTo(200);
    assertThat(stack.mailbox().awaitCount(email, 3).get(2).subject()).isEqualTo("Reminder to upload your data to Tidepool");
    assertThat(stack.mailbox().to(email)).hasSize(3);
    assertThat(tokensOf(userId)).containsExactly(firstToken);

    // a new request: a new link, the old one revoked
    assertThat(call(stack, HttpMethod.POST, path + "/connect/dexcom", admin, null).statusCode()).isEqualTo(204);
    String secondToken = tokenIn(stack.mailbox().awaitCount(email, 4).get(3));
    assertThat(secondToken).isNotEqualTo(firstToken);
    assertThat(tokensOf(userId)).containsExactly(secondToken);
  }

  @Test
  void anEmailChangeReinvitesTheNewAddressAndResendsTheConnectionRequest() {
    String userId = createCustodialPatient(stack, admin, clinicId, "Eddie Moves", "eddie.old@example.org");
    String path = "/v1/clinics/" + clinicId + "/patients/" + userId;
    assertThat(call(stack, HttpMethod.POST, path + "/connect/twiist", admin, null).statusCode()).isEqualTo(204);
    stack.mailbox().awaitCount("eddie.old@example.org", 2);

    assertThat(call(stack, HttpMethod.PUT, path, admin, new JsonObject().put("fullName", "Eddie Moves").put("birthDate", "2012-08-30")
        .put("email", "eddie.new@example.org")).statusCode()).isEqualTo(200);

    List<Mail> mails = stack.mailbox().awaitCount("eddie.new@example.org", 2);
    assertThat(mails.stream().map(Mail::subject)).containsExactlyInAnyOrder(
        "Worker Clinic has created a Tidepool account for you",
        "Worker Clinic Follow Up - Connect your twiist Account to Tidepool");
    assertThat(tokensOf(userId)).containsExactly(tokenIn(mails.stream().filter(m -> m.subject().contains("twiist")).findFirst().orElseThrow()));
  }

  @Test
  void aDeletedCustodialPatientWithoutDataLosesItsAccount() {
    String userId = createCustodialPatient(stack, admin, clinicId, "Del Eted", "del.eted@example.org");
    stack.mailbox().awaitFor("del.eted@example.org");
    assertThat(accountOf(userId)).isNotNull();

    assertThat(call(stack, HttpMethod.DELETE, "/v1/clinics/" + clinicId + "/patients/" + userId, admin, null).statusCode()).isEqualTo(204);

    Eventually.await(stack.vertx(), "the account " + userId + " deleted", () -> accountOf(userId) == null ? true : null);
  }

  @Test
  void userEventsChangeTheClinicianEmailAndRemoveADeletedUserFromEveryClinic() {
    String topic = stack.namespace().id() + "-user-events";
    String memberToken = stack.userToken("b2b2b2b2b2", "old.member@example.org", "Old Member");
    String ownClinic = createClinic(stack, memberToken, "Member Clinic");
    WorkerTestSupport.publishUserEvent(producer, topic, "b2b2b2b2b2", "users:update", new JsonObject()
        .put("original", new JsonObject().put("userid", "b2b2b2b2b2").put("username", "old.member@example.org"))
        .put("updated", new JsonObject().put("userid", "b2b2b2b2b2").put("username", "new.member@example.org")));
    Eventually.await(stack.vertx(), "the clinician's new email", () -> {
      JsonObject clinician = call(stack, HttpMethod.GET, "/v1/clinics/" + ownClinic + "/clinicians/b2b2b2b2b2", memberToken, null)
          .bodyAsJsonObject();
      return "new.member@example.org".equals(clinician.getString("email")) ? clinician : null;
    });

    String userId = createCustodialPatient(stack, admin, clinicId, "Gone User", "gone.user@example.org");
    WorkerTestSupport.publishUserEvent(producer, topic, userId, "users:delete",
        new JsonObject().put("userid", userId).put("username", "gone.user@example.org").put("fullName", ""));
    Eventually.await(stack.vertx(), "patient " + userId + " removed", () ->
        call(stack, HttpMethod.GET, "/v1/clinics/" + clinicId + "/patients/" + userId, admin, null).statusCode() == 404 ? true : null);
  }

  private static List<String> subjectsTo(String recipient) {
    return stack.mailbox().to(recipient).stream().map(Mail::subject).toList();
  }

  private static String tokenIn(Mail mail) {
    Matcher matcher = TOKEN.matcher(mail.text());
    assertThat(matcher.find()).as(mail.text()).isTrue();
    return matcher.group(1);
  }

  private static List<String> tokensOf(String userId) {
    return stack.platformDb().find("restricted_tokens", new JsonObject().put("userId", userId)).await().stream()
        .peek(token -> assertThat(token.getJsonArray("paths", new JsonArray()).size()).isEqualTo(1))
        .map(token -> token.getString("_id")).toList();
  }

  private static JsonObject accountOf(String userId) {
    return stack.platformDb().findOne("users", new JsonObject().put("_id", userId), null).await();
  }

  private static JsonObject profileOf(String userId) {
    JsonObject account = accountOf(userId);
    return account == null ? null : account.getJsonObject("profile");
  }
}
