package org.tidepool.clinic.mongo;

import java.text.Normalizer;
import java.util.Map;

/**
 * The order of MongoDB's {@code en} collation at strength 1 (ICU root order of the primary
 * weights: case and accents ignored; spaces and punctuation count and sort before digits, digits
 * before letters), as a key whose plain binary order reproduces it, for a store without
 * collations. Not {@link java.text.Collator}: it ignores spaces and hyphens.
 */
public final class NameOrder {
  /** The stored key of a patient's {@code fullName}, kept by the document mappers on every write. */
  public static final String FULL_NAME_KEY = "fullNameKey";

  /** ASCII in ICU's primary order: whitespace, punctuation, symbols, currency, digits, letters. */
  private static final String ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";
  /** Letters whose primary weight is another letter or a pair of them. */
  private static final Map<Character, String> EXPANSIONS = Map.of('ß', "ss", 'æ', "ae", 'œ', "oe", 'ø', "o", 'đ', "d", 'ł', "l",
      'ð', "d", 'þ', "th", 'ı', "i");

  private NameOrder() {}

  public static String key(String name) {
    if (name == null) {
      return null;
    }
    String decomposed = Normalizer.normalize(name.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFKD);
    StringBuilder key = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); i++) {
      char c = decomposed.charAt(i);
      if (Character.getType(c) == Character.NON_SPACING_MARK || Character.getType(c) == Character.COMBINING_SPACING_MARK) {
        continue;
      }
      String expansion = EXPANSIONS.get(c);
      if (expansion != null) {
        expansion.chars().forEach(letter -> key.append(rank((char) letter)));
      } else {
        key.append(rank(Character.isWhitespace(c) ? ' ' : c));
      }
    }
    return key.toString();
  }

  /** Ranked ASCII maps to 0x21.. in ICU order; other characters keep their order after all of them. */
  private static char rank(char c) {
    int index = ORDER.indexOf(c);
    return index >= 0 ? (char) (0x21 + index) : (char) Math.max(c, 0x21 + ORDER.length());
  }
}
