package org.tidepool.clinic.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tidepool.clinic.mail.MailTestSupport.assertContains;
import static org.tidepool.clinic.mail.MailTestSupport.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.Retriever;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a person finds after the embedded SMTP server received mail: .eml files and IMAP mailboxes. */
@ExtendWith(VertxExtension.class)
class MailboxDumpTest {
  @TempDir
  static Path dataDir;

  private static GreenMail smtp;
  private static MailboxDump dump;
  private static MailClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    smtp = MailTestSupport.startGreenMail();
    dump = MailboxDump.attach(smtp, dataDir.resolve("mail"));
    client = MailClient.create(vertx, new MailConfig().setHostname("127.0.0.1").setPort(smtp.getSmtp().getPort())
        .setStarttls(StartTLSOptions.DISABLED));
  }

  @AfterAll
  static void stop() {
    smtp.stop();
  }

  @Test
  void everyReceivedMailIsWrittenAsAnEmlFilePerRecipient() throws Exception {
    await(client.sendMail(new MailMessage().setFrom("noreply@example.test")
        .setTo("reader.one@example.org").setCc("reader.two@example.org")
        .setSubject("Dump me").setText("Body of the dumped mail")));

    for (String recipient : List.of("reader.one@example.org", "reader.two@example.org")) {
      List<Path> files = emlFiles(dump.directory(), recipient);
      assertEquals(1, files.size(), "files for " + recipient);
      try (InputStream in = Files.newInputStream(files.get(0))) {
        MimeMessage mail = GreenMailUtil.newMimeMessage(in);
        assertEquals("Dump me", mail.getSubject());
        assertContains(GreenMailUtil.getBody(mail), "Body of the dumped mail");
      }
    }
    try (Stream<Path> all = Files.list(dump.directory())) {
      assertTrue(all.allMatch(file -> file.toString().endsWith(".eml")), "only finished .eml files");
    }
  }

  @Test
  void theMailboxIsReadableOverImapWithTheAddressAsLoginAndPassword() throws Exception {
    await(client.sendMail(new MailMessage().setFrom("noreply@example.test")
        .setTo("imap.reader@example.org").setSubject("Read me over IMAP").setText("hello")));

    try (Retriever imap = new Retriever(smtp.getImap())) {
      Message[] messages = imap.getMessages("imap.reader@example.org", "imap.reader@example.org");
      assertEquals(1, messages.length);
      assertEquals("Read me over IMAP", messages[0].getSubject());
    }
  }

  @Test
  void aDetachedDumpWritesNothingMoreAndTheEarlierDumpKeepsWorking() throws Exception {
    MailboxDump second = MailboxDump.attach(smtp, dataDir.resolve("second"));
    second.detach();

    await(client.sendMail(new MailMessage().setFrom("noreply@example.test")
        .setTo("after.detach@example.org").setSubject("After detach").setText("hello")));

    assertEquals(0, emlFiles(second.directory(), "after.detach@example.org").size());
    assertEquals(1, emlFiles(dump.directory(), "after.detach@example.org").size());
    assertEquals(1, MailTestSupport.receivedBy(smtp, "after.detach@example.org").size());
  }

  private static List<Path> emlFiles(Path directory, String recipient) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().contains("_" + recipient + "_")
          && file.getFileName().toString().endsWith(".eml")).toList();
    }
  }
}
