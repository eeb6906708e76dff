package org.tidepool.clinic.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tidepool.clinic.mail.MailTestSupport.await;
import static org.tidepool.clinic.mail.MailTestSupport.send;
import static org.tidepool.clinic.mail.MailTestSupport.sendRequest;

import com.icegreen.greenmail.util.GreenMail;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An SMTP server that accepts connections and then says nothing must not hold a send forever. */
@ExtendWith(VertxExtension.class)
class MailSmtpTimeoutTest {
  /** Only lends its settings to the configuration; the verticle talks to the silent server. */
  private static GreenMail configTemplateSmtp;
  private static MongoServer mongoServer;
  private static NetServer silentSmtp;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    configTemplateSmtp = MailTestSupport.startGreenMail();
    mongoServer = MailTestSupport.startMongo();
    silentSmtp = await(vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1"));
    JsonObject config = MailTestSupport.config(configTemplateSmtp, mongoServer)
        .put("SMTP_PORT", silentSmtp.actualPort())
        .put("SMTP_TIMEOUT_MS", 300);
    await(vertx.deployVerticle(new MailVerticle(), new DeploymentOptions().setConfig(config)));
  }

  @AfterAll
  static void stop() {
    configTemplateSmtp.stop();
    mongoServer.shutdownNow();
  }

  @Test
  void aSilentServerFailsTheSendAsUnavailableAndARetryIsNotStuckBehindIt(Vertx vertx) {
    JsonObject request = sendRequest("clinic_created", "silent@example.org",
        new JsonObject().put("ClinicName", "Quiet Clinic"), "silent-1:clinic_created");

    ReplyException first = assertThrows(ReplyException.class, () -> await(send(vertx, request)));
    ReplyException retry = assertThrows(ReplyException.class, () -> await(send(vertx, request)));

    assertEquals(503, first.failureCode(), first.getMessage());
    assertEquals(503, retry.failureCode(), retry.getMessage());
  }
}
