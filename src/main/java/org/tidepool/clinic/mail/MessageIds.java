package org.tidepool.clinic.mail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Message-ID of a mail sent under a dedup key, derived from the key: should a crash fall
 * between the SMTP server's acceptance and the {@code mail_log} record, the mail sent again is
 * recognisably the same message (mail clients and archives can fold the two copies).
 */
final class MessageIds {
  private MessageIds() {}

  /** {@code <clinic.<hash of the key>@<domain of the sender>>}. */
  static String forDedupKey(String dedupKey, String from) {
    return "<clinic." + hash(dedupKey) + "@" + domainOf(from) + ">";
  }

  private static String hash(String dedupKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(dedupKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** "Tidepool <noreply@tidepool.org>" → "tidepool.org"; a sender without one gets "localhost". */
  private static String domainOf(String from) {
    int at = from.lastIndexOf('@');
    String domain = at < 0 ? "" : from.substring(at + 1).replaceAll("[>\\s].*$", "");
    return domain.matches("[A-Za-z0-9.-]+") ? domain : "localhost";
  }
}
