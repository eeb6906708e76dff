package org.tidepool.clinic.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Mailbox.Mail;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The whole path: HTTP → store + change record → relay → Kafka → consumer → mail / gatekeeper,
 * on the servers shared by the test classes ({@link CdcKafkaOutageTest} stops its broker).
 */
@ExtendWith(TestStackExtension.class)
class CdcEndToEndTest {
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start();
  }

  @Test
  void creatingAClinicMailsItsFirstAdmin() {
    String admin = "e2e-admin-" + UUID.randomUUID();
    String adminToken = stack.userToken(admin, admin + "@example.org", "Ada Admin");

    createClinic(adminToken, "Seaside Clinic");

    Mail mail = stack.mailbox().awaitFor(admin + "@example.org");
    assertEquals("New Tidepool Clinic account created", mail.subject());
    assertTrue(mail.text().contains("\"Seaside Clinic\""), mail.text());
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

    Mail mail = stack.mailbox().awaitFor(member + "@example.org");
    assertEquals("Your Tidepool Clinician permissions have been updated", mail.subject());
    assertTrue(mail.text().contains("\"Valley Clinic\""), mail.text());
    assertTrue(mail.text().contains("Bo Boss"), mail.text());

    assertOk(call(HttpMethod.DELETE, "/v1/clinics/" + clinicId + "/clinicians/" + member, adminToken, null));
    Eventually.await(stack.vertx(), "the projection of " + member + " is deleted", () -> stack.gatekeeperDb()
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
        () -> stack.gatekeeperDb().findOne("clinician_permissions", query, null).await());
  }
}
