package org.tidepool.clinic.cdc.consumer;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.Vertx;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.tidepool.clinic.cdc.Eventually;

/** What the embedded SMTP server received, read the way a person reads a mail. */
final class Mailbox {
  record Mail(String recipient, String subject, String text) {}

  private final Vertx vertx;
  private final GreenMail greenMail;

  Mailbox(Vertx vertx, GreenMail greenMail) {
    this.vertx = vertx;
    this.greenMail = greenMail;
  }

  List<Mail> all() {
    return Arrays.stream(greenMail.getReceivedMessages()).map(Mailbox::read).toList();
  }

  List<Mail> to(String recipient) {
    return Arrays.stream(greenMail.getReceivedMessages()).map(Mailbox::read)
        .filter(mail -> mail.recipient().equalsIgnoreCase(recipient)).toList();
  }

  Mail awaitFor(String recipient) {
    return Eventually.await(vertx, "a mail to " + recipient, () -> to(recipient).stream().findFirst().orElse(null));
  }

  List<Mail> awaitCount(String recipient, int count) {
    return Eventually.await(vertx, count + " mails to " + recipient, () -> {
      List<Mail> mails = to(recipient);
      return mails.size() >= count ? mails : null;
    });
  }

  private static Mail read(MimeMessage message) {
    try {
      Address[] to = message.getAllRecipients();
      return new Mail(to == null || to.length == 0 ? "" : to[0].toString(), message.getSubject(), plainText(message));
    } catch (MessagingException | IOException e) {
      throw new AssertionError("unreadable mail", e);
    }
  }

  private static String plainText(Part part) throws MessagingException, IOException {
    if (part.isMimeType("text/plain")) {
      return part.getContent().toString();
    }
    if (part.getContent() instanceof MimeMultipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        String text = plainText(multipart.getBodyPart(i));
        if (text != null) {
          return text;
        }
      }
    }
    return null;
  }
}
