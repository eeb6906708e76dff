package org.tidepool.clinic.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.testing.TestStack;

/** The whole path: HTTP → store + change record → relay → Kafka → consumer → mail / gatekeeper. */
class CdcEndToEndTest {
  private static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void creatingAClinicMailsItsFirstAdmin() {
    String admin = "e2e-admin-" + UUID.randomUUID();
    String adminToken = stack.userToken(admin, admin + "@example.org", "Ada Admin");

    createClinic(adminToken, "Seaside Clinic");

    List<MimeMessage> mails = awaitMails(admin + "@example.org", 1);
    assertEquals("Your Tidepool clinic account for Seaside Clinic is ready", subject(mails.get(0)));
  }

  @Test
  void clinicsCreatedWhileKafkaIsDownAreAllMailedOnceItIsBack() {
    String admin = tidepoolUserId();
    String adminToken = stack.userToken(admin, admin + "@example.org", "Kay Admin");
    stack.kafka().stop();
    try {
      for (int n = 1; n <= 3; n++) {
        createClinic(adminToken, "Offline Clinic " + n);
      }
    } finally {
      stack.kafka().start();
    }

    List<String> subjects = awaitMails(admin + "@example.org", 3).stream().map(CdcEndToEndTest::subject).sorted().toList();
    assertEquals(List.of("Your Tidepool clinic account for Offline Clinic 1 is ready",
        "Your Tidepool clinic account for Offline Clinic 2 is ready",
        "Your Tidepool clinic account for Offline Clinic 3 is ready"), subjects);
  }

  @Test
  void changingAClinicianRolesMailsThemAndTheGatekeeperProjectionFollows() {
    String admin = tidepoolUserId();
    String member = tidepoolUserId();
    String adminToken = stack.userToken(admin, admin + "@example.org", "Bo Boss");
    String clinicId = createClinic(adminToken, "Valley Clinic").getString("id");
    String server = stack.serverToken();

    JsonObject invite = new JsonObject().put("inviteId", "invite-" + member).put("email", member + "@example.org")
        .put("roles", new JsonArray().add("CLINIC_MEMBER"));
    assertOk(call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/clinicians", server, invite));
    JsonObject invited = awaitProjection(new JsonObject().put("inviteId", "invite-" + member));
    assertEquals(new JsonObject().put("$oid", clinicId), invited.getJsonObject("clinicId"));

    assertOk(call(HttpMethod.PATCH, "/v1/clinics/" + clinicId + "/invites/clinicians/invite-" + member + "/clinician", server,
        new JsonObject().put("userId", member)));
    JsonObject associated = awaitProjection(new JsonObject().put("userId", member).put("clinicId", new JsonObject().put("$oid", clinicId)));
    assertEquals(invited.getValue("_id"), associated.getValue("_id"));

    JsonObject promoted = new JsonObject().put("email", member + "@example.org").put("roles", new JsonArray().add("CLINIC_ADMIN"));
    assertOk(call(HttpMethod.PUT, "/v1/clinics/" + clinicId + "/clinicians/" + member, adminToken, promoted));

    MimeMessage mail = awaitMails(member + "@example.org", 1).get(0);
    assertEquals("Your clinician permissions at Valley Clinic have changed", subject(mail));
    assertTrue(GreenMailUtil.getBody(mail).contains("Bo Boss"), GreenMailUtil.getBody(mail));

    assertOk(call(HttpMethod.DELETE, "/v1/clinics/" + clinicId + "/clinicians/" + member, adminToken, null));
    Eventually.await(stack.vertx(), "the projection of " + member + " is deleted", () -> stack.database("gatekeeper")
        .count("clinician_permissions", new JsonObject().put("userId", member)).await() == 0);
  }

  /** Tidepool user ids are ten hex digits. */
  private static String tidepoolUserId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private JsonObject createClinic(String token, String name) {
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/v1/clinics", token,
        new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL"));
    assertOk(created);
    return created.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    var request = stack.http().request(method, path).putHeader("Authorization", "Bearer " + token);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static void assertOk(HttpResponse<Buffer> response) {
    assertTrue(response.statusCode() / 100 == 2, response.statusCode() + " " + response.bodyAsString());
  }

  private static JsonObject awaitProjection(JsonObject query) {
    return Eventually.await(stack.vertx(), "a gatekeeper projection matching " + query,
        () -> stack.database("gatekeeper").findOne("clinician_permissions", query, null).await());
  }

  private static List<MimeMessage> awaitMails(String recipient, int count) {
    return Eventually.await(stack.vertx(), count + " mails to " + recipient, () -> {
      List<MimeMessage> mails = Arrays.stream(stack.greenMail().getReceivedMessages())
          .filter(m -> GreenMailUtil.getAddressList(recipients(m)).contains(recipient)).toList();
      return mails.size() >= count ? mails : null;
    });
  }

  private static jakarta.mail.Address[] recipients(MimeMessage message) {
    try {
      return message.getAllRecipients();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
