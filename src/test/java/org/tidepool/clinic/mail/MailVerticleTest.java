package org.tidepool.clinic.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tidepool.clinic.mail.MailTestSupport.assertContains;
import static org.tidepool.clinic.mail.MailTestSupport.assertLacks;
import static org.tidepool.clinic.mail.MailTestSupport.await;
import static org.tidepool.clinic.mail.MailTestSupport.receivedBy;
import static org.tidepool.clinic.mail.MailTestSupport.send;
import static org.tidepool.clinic.mail.MailTestSupport.sendRequest;
import static org.tidepool.clinic.mail.MailTestSupport.textParts;

import com.icegreen.greenmail.util.GreenMail;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MailVerticleTest {
  private static GreenMail smtp;
  private static MongoServer mongoServer;
  private static MongoClient mongo;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    smtp = MailTestSupport.startGreenMail();
    mongoServer = MailTestSupport.startMongo();
    mongo = MongoClient.create(vertx, MailTestSupport.mongoConfig(mongoServer));
    await(vertx.deployVerticle(new MailVerticle(),
        new DeploymentOptions().setConfig(MailTestSupport.config(smtp, mongoServer))));
  }

  @AfterAll
  static void stop() {
    smtp.stop();
    mongoServer.shutdownNow();
  }

  @Test
  void clinicCreatedArrivesWithSubjectTextAndHtmlFilledIn(Vertx vertx) throws Exception {
    JsonObject reply = await(send(vertx, sendRequest("clinic_created", "first.admin@example.org",
        new JsonObject().put("ClinicName", "Harbor Diabetes Center"), "event-1:clinic_created")));

    assertEquals(new JsonObject().put("sent", true), reply);
    List<MimeMessage> mails = receivedBy(smtp, "first.admin@example.org");
    assertEquals(1, mails.size());
    MimeMessage mail = mails.get(0);
    assertEquals("New Tidepool Clinic account created", mail.getSubject());
    assertEquals(new InternetAddress(MailTestSupport.FROM), mail.getFrom()[0]);
    Map<String, String> parts = textParts(mail);
    assertContains(parts.get("text/plain"), "\"Harbor Diabetes Center\"", MailTestSupport.WEB_URL);
    assertContains(parts.get("text/html"),
        "<strong>Harbor Diabetes Center</strong>",
        "href=\"" + MailTestSupport.WEB_URL + "\"",
        "src=\"" + MailTestSupport.ASSET_URL + "/img/tidepool-logo.png\"");
    assertLacks(parts.get("text/html"), "{{");
  }

  @Test
  void clinicianPermissionsUpdatedNamesTheClinicAndTheUpdater(Vertx vertx) throws Exception {
    JsonObject reply = await(send(vertx, sendRequest("clinician_permissions_updated", "member@example.org",
        new JsonObject().put("ClinicName", "Lakeside Clinic").put("ClinicianName", "Dr. Ada Admin"), "event-2:perm")));

    assertEquals(true, reply.getBoolean("sent"));
    List<MimeMessage> mails = receivedBy(smtp, "member@example.org");
    assertEquals(1, mails.size());
    assertEquals("Your Tidepool Clinician permissions have been updated", mails.get(0).getSubject());
    Map<String, String> parts = textParts(mails.get(0));
    assertContains(parts.get("text/plain"), "Dr. Ada Admin has changed your permissions", "\"Lakeside Clinic\"",
        MailTestSupport.WEB_URL);
    assertContains(parts.get("text/html"), "<strong>Dr. Ada Admin</strong>", "<strong>Lakeside Clinic</strong>",
        MailTestSupport.ASSET_URL);
  }

  @Test
  void variablesAreHtmlEscapedOnlyInTheHtmlPart(Vertx vertx) throws Exception {
    await(send(vertx, sendRequest("clinic_created", "escape@example.org",
        new JsonObject().put("ClinicName", "Smith & <Sons> Clinic"), "event-3:clinic_created")));

    MimeMessage mail = receivedBy(smtp, "escape@example.org").get(0);
    assertEquals("New Tidepool Clinic account created", mail.getSubject());
    Map<String, String> parts = textParts(mail);
    assertContains(parts.get("text/plain"), "\"Smith & <Sons> Clinic\"");
    assertContains(parts.get("text/html"), "Smith &amp; &lt;Sons&gt; Clinic");
    assertLacks(parts.get("text/html"), "<Sons>");
  }

  @Test
  void theSameDedupKeyTwiceSendsOneMail(Vertx vertx) throws Exception {
    JsonObject request = sendRequest("clinic_created", "dedup@example.org",
        new JsonObject().put("ClinicName", "Once Clinic"), "event-4:clinic_created");

    JsonObject first = await(send(vertx, request));
    JsonObject second = await(send(vertx, request));

    assertEquals(new JsonObject().put("sent", true), first);
    assertEquals(new JsonObject().put("sent", false).put("reason", "duplicate"), second);
    assertEquals(1, receivedBy(smtp, "dedup@example.org").size());
    JsonObject logged = await(mongo.findOne("mail_log", new JsonObject().put("_id", "event-4:clinic_created"), null));
    assertNotNull(logged);
    assertEquals("clinic_created", logged.getString("template"));
    assertEquals("dedup@example.org", logged.getString("recipient"));
  }

  @Test
  void aRequestRepeatedWhileTheFirstIsStillSendingSendsOneMail(Vertx vertx) throws Exception {
    // a caller whose request timed out asks again while the SMTP server is still busy with the first
    JsonObject request = sendRequest("clinic_created", "overlap@example.org",
        new JsonObject().put("ClinicName", "Overlap Clinic"), "event-overlap:clinic_created");

    List<JsonObject> replies = await(io.vertx.core.Future.all(send(vertx, request), send(vertx, request), send(vertx, request))).list();

    assertEquals(1, receivedBy(smtp, "overlap@example.org").size());
    assertEquals(1, replies.stream().filter(reply -> reply.getBoolean("sent")).count(), replies.toString());
    assertTrue(replies.stream().filter(reply -> !reply.getBoolean("sent")).allMatch(reply -> "duplicate".equals(reply.getString("reason"))),
        replies.toString());
  }

  @Test
  void aMailSentAgainAfterItsRecordWasLostCarriesTheSameMessageId(Vertx vertx) throws Exception {
    // a crash between the SMTP server's acceptance and the mail_log record: the redelivered
    // request sends again, and both copies are recognisably one message
    JsonObject variables = new JsonObject().put("ClinicName", "Crashed Clinic");
    JsonObject request = sendRequest("clinic_created", "again@example.org", variables, "event-again:clinic_created");
    await(send(vertx, request));
    await(mongo.removeDocument("mail_log", new JsonObject().put("_id", "event-again:clinic_created")));
    await(send(vertx, request));
    await(send(vertx, sendRequest("clinic_created", "again@example.org", variables, "event-other:clinic_created")));

    List<String> ids = new ArrayList<>();
    for (var received : receivedBy(smtp, "again@example.org")) {
      ids.add(received.getHeader("Message-ID", null));
    }
    assertEquals(3, ids.size(), ids.toString());
    assertEquals(ids.get(0), ids.get(1));
    assertNotEquals(ids.get(0), ids.get(2));
    assertTrue(ids.get(0).matches("<clinic\\.[0-9a-f]{32}@[A-Za-z0-9.-]+>"), ids.get(0));
  }

  @Test
  void differentDedupKeysForTheSameRecipientAreBothSent(Vertx vertx) throws Exception {
    JsonObject variables = new JsonObject().put("ClinicName", "Twice Clinic");
    await(send(vertx, sendRequest("clinic_created", "twice@example.org", variables, "event-5:clinic_created")));
    JsonObject second = await(send(vertx, sendRequest("clinic_created", "twice@example.org", variables, "event-6:clinic_created")));

    assertEquals(true, second.getBoolean("sent"));
    assertEquals(2, receivedBy(smtp, "twice@example.org").size());
  }

  @Test
  void anInvalidRecipientIsNotSentAndNotRecorded(Vertx vertx) throws Exception {
    int before = smtp.getReceivedMessages().length;

    for (String recipient : List.of("not-an-address", "Ada <ada@example.org>", "a@example.org, b@example.org")) {
      JsonObject reply = await(send(vertx, sendRequest("clinic_created", recipient,
          new JsonObject().put("ClinicName", "X"), "event-7:" + recipient)));
      assertEquals(new JsonObject().put("sent", false).put("reason", "invalid recipient"), reply, recipient);
      assertNull(await(mongo.findOne("mail_log", new JsonObject().put("_id", "event-7:" + recipient), null)));
    }
    assertEquals(before, smtp.getReceivedMessages().length);
  }

  @Test
  void anUnknownTemplateIsNotSent(Vertx vertx) throws Exception {
    JsonObject reply = await(send(vertx, sendRequest("no_such_template", "unknown@example.org",
        new JsonObject(), "event-8:no_such_template")));

    assertEquals(new JsonObject().put("sent", false).put("reason", "unknown template"), reply);
    assertTrue(receivedBy(smtp, "unknown@example.org").isEmpty());
    assertNull(await(mongo.findOne("mail_log", new JsonObject().put("_id", "event-8:no_such_template"), null)));
  }

  @Test
  void aRequestWithoutATemplateIsABadRequestNamingTheField(Vertx vertx) {
    ReplyException failure = assertThrows(ReplyException.class,
        () -> await(send(vertx, new JsonObject().put("recipient", "x@example.org"))));

    assertEquals(400, failure.failureCode());
    assertContains(failure.getMessage(), "template");
  }

  @Test
  void configuredUrlsReplaceUrlsGivenByTheCaller(Vertx vertx) throws Exception {
    await(send(vertx, sendRequest("clinic_created", "urls@example.org",
        new JsonObject().put("ClinicName", "Url Clinic").put("WebURL", "https://evil.example"), null)));

    Map<String, String> parts = textParts(receivedBy(smtp, "urls@example.org").get(0));
    assertContains(parts.get("text/plain"), MailTestSupport.WEB_URL);
    assertLacks(parts.get("text/plain"), "evil");
  }
}
