package org.tidepool.clinic.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Mailbox.Mail;

/** Stacks on the shared servers: one MongoDB, broker and SMTP server, yet apart in data, events and mails. */
@ExtendWith(TestStackExtension.class)
class TestStacksTest {

  @Test
  void stacksShareTheServersButNotTheirDataEventsOrMails(TestStacks stacks) {
    TestStack first = stacks.start();
    TestStack second = stacks.start();
    assertThat(first.kafkaBrokers()).isEqualTo(second.kafkaBrokers()).isEqualTo(stacks.servers().kafkaBrokers());
    assertThat(mongoConnection(first)).isEqualTo(mongoConnection(second));

    createClinic(first, "firstadmin", "First Clinic");
    createClinic(second, "secondadm1", "Second Clinic");

    Mail firstMail = first.mailbox().awaitFor("firstadmin@example.org");
    Mail secondMail = second.mailbox().awaitFor("secondadm1@example.org");
    assertThat(firstMail.text()).contains("First Clinic");
    assertThat(secondMail.text()).contains("Second Clinic");
    assertThat(first.mailbox().all()).containsExactly(firstMail);
    assertThat(second.mailbox().all()).containsExactly(secondMail);
    assertThat(first.clinicDb().count("clinics", new JsonObject()).await()).isEqualTo(1);
    assertThat(second.clinicDb().count("clinics", new JsonObject()).await()).isEqualTo(1);
    assertThat(TopicReader.readAtLeast(first.kafkaBrokers(), first.namespace().topicPrefix() + "clinic.clinics", 1))
        .singleElement().satisfies(record -> assertThat(record.value()).contains("First Clinic").doesNotContain("Second Clinic"));
  }

  private static String mongoConnection(TestStack stack) {
    return stack.app().config().getJsonObject("mongo").getString("connection_string");
  }

  private static void createClinic(TestStack stack, String adminId, String name) {
    HttpResponse<Buffer> created = stack.http().post("/v1/clinics")
        .bearerTokenAuthentication(stack.userToken(adminId, adminId + "@example.org", "Admin " + adminId))
        .sendJsonObject(new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL")).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
  }
}
