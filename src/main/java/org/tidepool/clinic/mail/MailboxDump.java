package org.tidepool.clinic.mail;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes what the embedded SMTP server receives readable as files: every mail GreenMail delivers
 * to a mailbox is also written to {@code <directory>/<UTC time>_<recipient>_<id>.eml}
 * (one file per recipient, as received, openable by any mail client).
 *
 * <p>It decorates GreenMail's delivery hook, so files are written on GreenMail's SMTP thread
 * before the server answers the client: once a send succeeded, its file exists. Call
 * {@link #attach} after creating (or starting) GreenMail; {@code GreenMail.stop()/reset()}
 * replaces the hook, so attach again after a restart.
 */
public final class MailboxDump {
  private static final Logger log = LoggerFactory.getLogger(MailboxDump.class);
  private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

  private final UserManager users;
  private final MessageDeliveryHandler original;
  private final Path directory;

  private MailboxDump(UserManager users, Path directory) {
    this.users = users;
    this.original = users.getMessageDeliveryHandler();
    this.directory = directory;
  }

  /** Creates the directory (blocking) and starts writing every delivered mail into it. */
  public static MailboxDump attach(GreenMail greenMail, Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the mail dump directory " + directory, e);
    }
    MailboxDump dump = new MailboxDump(greenMail.getUserManager(), directory);
    dump.users.setMessageDeliveryHandler(dump::deliver);
    log.info("embedded SMTP: received mail is written to {}", directory.toAbsolutePath());
    return dump;
  }

  public Path directory() {
    return directory;
  }

  /** Stops writing files; GreenMail keeps delivering to its mailboxes. */
  public void detach() {
    users.setMessageDeliveryHandler(original);
  }

  private GreenMailUser deliver(MovingMessage message, MailAddress recipient) throws MessagingException, UserException {
    GreenMailUser mailbox = original.handle(message, recipient);
    try {
      write(message, recipient.getEmail());
    } catch (IOException | MessagingException | RuntimeException e) {
      // the mailbox (IMAP) still has the mail; a failing dump must not fail the SMTP delivery
      log.warn("embedded SMTP: could not write a received mail into {}", directory, e);
    }
    return mailbox;
  }

  private void write(MovingMessage message, String recipient) throws IOException, MessagingException {
    String name = FILE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "_" + safe(recipient) + "_"
        + UUID.randomUUID().toString().substring(0, 8) + ".eml";
    Path partial = directory.resolve(name + ".part");
    try (OutputStream out = Files.newOutputStream(partial)) {
      message.getMessage().writeTo(out);
    }
    // a reader watching the directory never sees a half-written .eml
    Files.move(partial, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String safe(String recipient) {
    return recipient.replaceAll("[^A-Za-z0-9@._+-]", "_");
  }
}
