package org.tidepool.clinic.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Which settings hold secrets, decided by name alone so that a new setting is covered the day it
 * is added: a key with one of the words {@code PASSWORD}, {@code SECRET}, {@code TOKEN},
 * {@code KEY}, ... (words are separated by {@code _}) is secret, unless its last word says it
 * only names where a secret lives ({@code _PATH}, {@code _ENDPOINT}, {@code _TYPE}, ...).
 */
public final class Secrets {
  public static final String MASK = "********";
  private static final Set<String> SECRET_WORDS =
      Set.of("PASSWORD", "PASSWD", "PASS", "SECRET", "TOKEN", "KEY", "CREDENTIALS", "PASSPHRASE", "JAAS");
  private static final Set<String> LOCATION_WORDS = Set.of("PATH", "FILE", "ENDPOINT", "URL", "ADDRESS", "TYPE", "NAME");

  private Secrets() {}

  public static boolean isSecret(String key) {
    List<String> words = Arrays.asList(key.toUpperCase().replace('.', '_').replace('-', '_').split("_"));
    return !LOCATION_WORDS.contains(words.get(words.size() - 1)) && words.stream().anyMatch(SECRET_WORDS::contains);
  }

  /** A copy with every non-empty secret value replaced by {@link #MASK} (nested objects too). */
  public static JsonObject masked(JsonObject config) {
    JsonObject masked = new JsonObject();
    config.forEach(entry -> {
      Object value = entry.getValue();
      if (value instanceof JsonObject nested) {
        masked.put(entry.getKey(), masked(nested));
      } else if (isSecret(entry.getKey()) && value != null && !String.valueOf(value).isEmpty()) {
        masked.put(entry.getKey(), MASK);
      } else {
        masked.put(entry.getKey(), value);
      }
    });
    return masked;
  }
}
