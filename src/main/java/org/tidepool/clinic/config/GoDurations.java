package org.tidepool.clinic.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as upstream's Go services read them: {@code 168h}, {@code 30s}, {@code 1h30m}, {@code 500ms}. */
public final class GoDurations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

  private GoDurations() {}

  public static Duration read(Settings settings, String key) {
    String text = settings.required(key).trim();
    Matcher matcher = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      long amount = Long.parseLong(matcher.group(1));
      total = total.plus(switch (matcher.group(2)) {
        case "h" -> Duration.ofHours(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMillis(amount);
      });
      end = matcher.end();
    }
    if (end == 0 || end != text.length() || total.isZero()) {
      throw new ConfigException(key + " must be a positive duration like 168h, 30s or 1h30m, got '" + text + "'");
    }
    return total;
  }
}
