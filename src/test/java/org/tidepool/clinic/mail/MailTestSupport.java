package org.tidepool.clinic.mail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.testing.PackagedDefaults;

/** Real servers and small readers shared by the mail tests. */
final class MailTestSupport {
  static final String WEB_URL = "https://app.example.test";
  static final String ASSET_URL = "https://assets.example.test/mail";
  static final String FROM = "Tidepool Test <noreply@example.test>";

  private MailTestSupport() {}

  static GreenMail startGreenMail() {
    GreenMail greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
    greenMail.start();
    return greenMail;
  }

  static MongoServer startMongo() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind();
    return server;
  }

  static JsonObject mongoConfig(MongoServer server) {
    InetSocketAddress address = server.getLocalAddress();
    return new JsonObject()
        .put("connection_string", "mongodb://" + address.getHostString() + ":" + address.getPort())
        .put("db_name", "clinic");
  }

  /** The merged configuration as ClinicApplication hands it to the verticle. */
  static JsonObject config(GreenMail greenMail, MongoServer mongo) {
    return PackagedDefaults.with(new JsonObject()
        .put("SMTP_HOST", "127.0.0.1")
        .put("SMTP_PORT", greenMail.getSmtp().getPort())
        .put("SMTP_USERNAME", "")
        .put("SMTP_PASSWORD", "")
        .put("SMTP_STARTTLS", "DISABLED")
        .put("SMTP_FROM", FROM)
        .put("TIDEPOOL_WEBAPP_URL", WEB_URL + "/")
        .put("TIDEPOOL_ASSET_URL", ASSET_URL)
        .put("TIDEPOOL_CLINIC_DATABASE_NAME", "clinic")
        .put("mongo", mongoConfig(mongo)));
  }

  static JsonObject sendRequest(String template, String recipient, JsonObject variables, String dedupKey) {
    JsonObject request = new JsonObject().put("template", template).put("recipient", recipient).put("variables", variables);
    return dedupKey == null ? request : request.put("dedupKey", dedupKey);
  }

  static Future<JsonObject> send(Vertx vertx, JsonObject request) {
    return Actions.request(vertx.eventBus(), MailAddresses.ADDRESS, MailAddresses.SEND, request);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(20, TimeUnit.SECONDS);
  }

  static void assertContains(String text, String... expected) {
    assertNotNull(text, "no such text");
    for (String piece : expected) {
      assertTrue(text.contains(piece), () -> "expected to find '" + piece + "' in:\n" + text);
    }
  }

  static void assertLacks(String text, String unexpected) {
    assertFalse(text.contains(unexpected), () -> "did not expect '" + unexpected + "' in:\n" + text);
  }

  static List<MimeMessage> receivedBy(GreenMail greenMail, String address) {
    return greenMail.findReceivedMessages(user -> user.getEmail().equalsIgnoreCase(address), message -> true).toList();
  }

  /** The decoded text of each leaf part, by content type ("text/plain", "text/html"). */
  static Map<String, String> textParts(Part message) throws Exception {
    Map<String, String> parts = new HashMap<>();
    collect(message, parts);
    return parts;
  }

  private static void collect(Part part, Map<String, String> parts) throws Exception {
    Object content = part.getContent();
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart child = multipart.getBodyPart(i);
        collect(child, parts);
      }
    } else if (content instanceof String text) {
      parts.put(part.getContentType().split(";")[0].trim().toLowerCase(), text);
    }
  }
}
