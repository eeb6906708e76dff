package org.tidepool.clinic.cdc.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.call;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.createClinic;
import static org.tidepool.clinic.cdc.worker.WorkerTestSupport.createCustodialPatient;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.tidepool.clinic.testing.TopicReader;
import org.tidepool.clinic.testing.TopicReader.Received;

/**
 * {@code MAIL_DELIVERY=kafka}: mails reach Tidepool's mailer as CloudEvents
 * {@code email_template:send} on {@code <prefix>emails} (read here by a real Kafka consumer),
 * keyed by recipient, once per change.
 */
@ExtendWith(TestStackExtension.class)
class MailerTopicTest {
  private static TestStack stack;
  private static String emailsTopic;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("MAIL_DELIVERY", "kafka"));
    emailsTopic = stack.namespace().id() + "-emails";
  }

  @Test
  void aClinicMemberCreatingACustodialAccountPutsTheInviteOnTheMailerTopic() {
    String admin = stack.userToken("c3c3c3c3c3", "topic.admin@example.org", "Topic Admin");
    String clinicId = createClinic(stack, admin, "Topic Clinic");
    String userId = createCustodialPatient(stack, admin, clinicId, "Tess Topic", "tess.topic@example.org");
    assertThat(call(stack, HttpMethod.POST, "/v1/clinics/" + clinicId + "/patients/" + userId + "/upload_reminder", admin, null)
        .statusCode()).isEqualTo(200);

    List<Received> mails = TopicReader.readAtLeast(stack.kafkaBrokers(), emailsTopic, 3).stream()
        .filter(mail -> "tess.topic@example.org".equals(mail.key())).toList();
    assertThat(mails).hasSize(2);
    Received invite = mails.get(0);
    assertThat(invite.headers()).containsEntry("ce_specversion", "1.0").containsEntry("ce_type", "email_template:send")
        .containsEntry("ce_source", stack.namespace().consumerGroup()).containsEntry("content-type", "application/json")
        .containsKey("ce_id");
    assertThat(Instant.parse(invite.headers().get("ce_time"))).isBefore(Instant.now());
    JsonObject data = new JsonObject(invite.value());
    assertThat(data.getString("recipient")).isEqualTo("tess.topic@example.org");
    assertThat(data.getString("template")).isEqualTo("signup_custodial_new_clinic_experience_confirmation");
    assertThat(data.getJsonObject("variables").getString("ClinicName")).isEqualTo("Topic Clinic");
    assertThat(data.getJsonObject("variables").getString("CreatorName")).isEqualTo("Topic Admin");
    assertThat(data.getJsonObject("variables").getString("Key")).matches("[0-9a-f]{32}");

    JsonObject reminder = new JsonObject(mails.get(1).value());
    assertThat(reminder.getString("template")).isEqualTo("patient_upload_reminder");
    assertThat(reminder.containsKey("variables")).isTrue();
    assertThat(reminder.getValue("variables")).isNull();
  }
}
