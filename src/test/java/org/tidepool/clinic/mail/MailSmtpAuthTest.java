package org.tidepool.clinic.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tidepool.clinic.mail.MailTestSupport.await;
import static org.tidepool.clinic.mail.MailTestSupport.receivedBy;
import static org.tidepool.clinic.mail.MailTestSupport.send;
import static org.tidepool.clinic.mail.MailTestSupport.sendRequest;

import com.icegreen.greenmail.util.GreenMail;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SMTP AUTH against a GreenMail server with a user, and what a failed delivery leaves behind. */
@ExtendWith(VertxExtension.class)
class MailSmtpAuthTest {
  private static final String LOGIN = "clinic-service";
  private static final String PASSWORD = "s3cret-pass";

  private static GreenMail smtp;
  private static MongoServer mongoServer;
  private static MongoClient mongo;

  @BeforeAll
  static void start(Vertx vertx) {
    smtp = MailTestSupport.startGreenMail();
    smtp.setUser("service@example.test", LOGIN, PASSWORD);
    mongoServer = MailTestSupport.startMongo();
    mongo = MongoClient.create(vertx, MailTestSupport.mongoConfig(mongoServer));
  }

  @AfterAll
  static void stop() {
    smtp.stop();
    mongoServer.shutdownNow();
  }

  @Test
  void logsInWithTheConfiguredUsernameAndPassword(Vertx vertx) throws Exception {
    String deployment = deploy(vertx, PASSWORD);
    try {
      JsonObject reply = await(send(vertx, sendRequest("clinic_created", "auth@example.org",
          new JsonObject().put("ClinicName", "Auth Clinic"), "auth-1")));

      assertEquals(true, reply.getBoolean("sent"));
      assertEquals(1, receivedBy(smtp, "auth@example.org").size());
    } finally {
      await(vertx.undeploy(deployment));
    }
  }

  @Test
  void aRejectedLoginSendsNothingAndLeavesTheDedupKeyFreeForTheRetry(Vertx vertx) throws Exception {
    JsonObject request = sendRequest("clinic_created", "retry@example.org",
        new JsonObject().put("ClinicName", "Retry Clinic"), "auth-2");

    String wrongPassword = deploy(vertx, "not-the-password");
    try {
      ReplyException failure = assertThrows(ReplyException.class, () -> await(send(vertx, request)));
      assertEquals(503, failure.failureCode());
    } finally {
      await(vertx.undeploy(wrongPassword));
    }
    assertEquals(0, receivedBy(smtp, "retry@example.org").size());
    assertNull(await(mongo.findOne("mail_log", new JsonObject().put("_id", "auth-2"), null)));

    String rightPassword = deploy(vertx, PASSWORD);
    try {
      assertEquals(true, await(send(vertx, request)).getBoolean("sent"));
      assertEquals(1, receivedBy(smtp, "retry@example.org").size());
    } finally {
      await(vertx.undeploy(rightPassword));
    }
  }

  private static String deploy(Vertx vertx, String password) throws Exception {
    JsonObject config = MailTestSupport.config(smtp, mongoServer)
        .put("SMTP_USERNAME", LOGIN)
        .put("SMTP_PASSWORD", password);
    return await(vertx.deployVerticle(new MailVerticle(), new DeploymentOptions().setConfig(config)));
  }
}
