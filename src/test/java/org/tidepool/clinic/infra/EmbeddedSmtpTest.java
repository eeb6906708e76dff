package org.tidepool.clinic.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What the README promises of the embedded SMTP server: every mail readable over IMAP in one inbox. */
class EmbeddedSmtpTest {
  @Test
  void mailsToDifferentRecipientsAreAllInTheOneInboxOverImap() throws Exception {
    try (EmbeddedSmtp smtp = EmbeddedSmtp.start(0, 0)) {
      ServerSetup sending = new ServerSetup(smtp.smtpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
      GreenMailUtil.sendTextEmail("ann@example.org", "clinic@example.org", "to Ann", "hello Ann", sending);
      GreenMailUtil.sendTextEmail("ben@example.net", "clinic@example.org", "to Ben", "hello Ben", sending);

      Store store = Session.getInstance(new Properties()).getStore("imap");
      store.connect("127.0.0.1", smtp.imapPort(), EmbeddedSmtp.MAILBOX, EmbeddedSmtp.MAILBOX);
      try {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        assertThat(Arrays.stream(inbox.getMessages()).map(EmbeddedSmtpTest::subject)).containsExactlyInAnyOrder("to Ann", "to Ben");
      } finally {
        store.close();
      }
    }
  }

  private static String subject(Message message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
