package org.tidepool.clinic.clinics;

import java.security.SecureRandom;
import java.util.Locale;

/** Clinic share codes: {@code XXXX-XXXX-XXXX} from a 32-letter alphabet without I, O, 0 and 1. */
public final class ShareCodes {
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final SecureRandom random = new SecureRandom();

  public String next() {
    StringBuilder code = new StringBuilder(14);
    for (int i = 0; i < 12; i++) {
      if (i > 0 && i % 4 == 0) {
        code.append('-');
      }
      code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return code.toString();
  }

  /** The stored form of a code a person typed: upper case, surrounding blanks removed. */
  public static String normalise(String code) {
    return code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
  }
}
