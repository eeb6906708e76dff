package org.tidepool.clinic.crash;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The {@code .eml} files the embedded SMTP server of the service wrote under {@code DATA_DIR/mail}. */
final class MailFolder {
  /** The subjects (the mailer's, without the clinic) and where the text part names the clinic. */
  private static final String CLINIC_CREATED = "New Tidepool Clinic account created";
  private static final Pattern CREATED_CLINIC = Pattern.compile("The clinic account \"([^\"]*)\" has been set up");
  private static final String PERMISSIONS = "Your Tidepool Clinician permissions have been updated";
  private static final Pattern PERMISSIONS_CLINIC = Pattern.compile("in the Tidepool clinic \"([^\"]*)\"");

  /** One received mail: which template (by its subject), for which clinic, to whom, with which Message-ID. */
  record Mail(String template, String clinicName, String recipient, String messageId, long fileTimeMs) {
    /** What the mail is about: two copies of one mail have the same subject. */
    String subject() {
      return template + " | " + clinicName + " | " + recipient;
    }
  }

  private final Path directory;

  MailFolder(Path directory) {
    this.directory = directory;
  }

  List<Mail> read() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    Session session = Session.getInstance(new Properties());
    List<Mail> mails = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          mails.add(parse(new MimeMessage(session, in), Files.getLastModifiedTime(file).toMillis()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MessagingException e) {
      throw new IllegalStateException("unreadable mail in " + directory, e);
    }
    return mails;
  }

  /** The time of the first mail written at or after {@code sinceMs}, or -1. */
  long firstMailSince(long sinceMs) {
    return read().stream().mapToLong(Mail::fileTimeMs).filter(t -> t >= sinceMs).min().orElse(-1);
  }

  private static Mail parse(MimeMessage message, long fileTime) throws MessagingException, IOException {
    String subject = message.getSubject();
    String recipient = message.getRecipients(Message.RecipientType.TO)[0].toString();
    String messageId = message.getHeader("Message-ID", null);
    String text = plainText(message);
    Matcher created = CREATED_CLINIC.matcher(text);
    if (CLINIC_CREATED.equals(subject) && created.find()) {
      return new Mail("clinic_created", created.group(1), recipient, messageId, fileTime);
    }
    Matcher permissions = PERMISSIONS_CLINIC.matcher(text);
    if (PERMISSIONS.equals(subject) && permissions.find()) {
      return new Mail("clinician_permissions_updated", permissions.group(1), recipient, messageId, fileTime);
    }
    return new Mail("unknown", subject, recipient, messageId, fileTime);
  }

  /** The text/plain part (the mails are multipart/alternative of text and HTML). */
  private static String plainText(Part part) throws MessagingException, IOException {
    if (part.isMimeType("text/plain")) {
      return part.getContent().toString();
    }
    if (part.getContent() instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        String text = plainText(multipart.getBodyPart(i));
        if (!text.isEmpty()) {
          return text;
        }
      }
    }
    return "";
  }
}
