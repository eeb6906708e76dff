package org.tidepool.clinic.testing;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.Vertx;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The mails one service sent, as an SMTP server received them, read the way a person reads a
 * mail. On a server shared by several test classes only the mails from the service's own sender
 * address ({@link Namespace#senderAddress()}) are seen.
 */
public final class Mailbox {
  public record Mail(String recipient, String subject, String text) {}

  private final Vertx vertx;
  private final GreenMail greenMail;
  private final String senderAddress;

  public Mailbox(Vertx vertx, GreenMail greenMail, String senderAddress) {
    this.vertx = vertx;
    this.greenMail = greenMail;
    this.senderAddress = senderAddress;
  }

  public List<Mail> all() {
    return Arrays.stream(greenMail.getReceivedMessages()).filter(this::fromOurSender).map(Mailbox::read).toList();
  }

  public List<Mail> to(String recipient) {
    return all().stream().filter(mail -> mail.recipient().equalsIgnoreCase(recipient)).toList();
  }

  /** Waits (bounded, see {@link Eventually}) for the first mail to the recipient. */
  public Mail awaitFor(String recipient) {
    return Eventually.await(vertx, "a mail to " + recipient, () -> to(recipient).stream().findFirst().orElse(null));
  }

  public List<Mail> awaitCount(String recipient, int count) {
    return Eventually.await(vertx, count + " mails to " + recipient, () -> {
      List<Mail> mails = to(recipient);
      return mails.size() >= count ? mails : null;
    });
  }

  private boolean fromOurSender(MimeMessage message) {
    try {
      Address[] from = message.getFrom();
      return from != null && from.length > 0 && from[0] instanceof InternetAddress address
          && address.getAddress().equalsIgnoreCase(senderAddress);
    } catch (MessagingException e) {
      throw new AssertionError("unreadable mail", e);
    }
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
