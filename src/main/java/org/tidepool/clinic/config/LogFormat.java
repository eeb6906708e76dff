package org.tidepool.clinic.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code LOG_FORMAT} ({@code json} or {@code text}), read before logging starts, which is before
 * {@link ConfigLoader} can run (it needs Vert.x, which logs). The same sources in the same order:
 * the environment, then {@code CONFIG_FILE} or {@code conf/config.yaml} in the working directory,
 * then the packaged defaults. {@code log4j2.xml} picks its layout by the system property this sets.
 */
public final class LogFormat {
  public static final String KEY = "LOG_FORMAT";
  /** The system property log4j2.xml selects the text layout by. */
  public static final String PROPERTY = "clinic.logFormat";
  public static final String JSON = "json";
  public static final String TEXT = "text";

  private LogFormat() {}

  /** Sets {@link #PROPERTY} unless it is given already (e.g. {@code -Dclinic.logFormat=text}). */
  public static void apply() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, resolve(System.getenv(), Path.of(System.getenv().getOrDefault("CONFIG_FILE", ConfigLoader.CONFIG_FILE))));
    }
  }

  /** An unknown value falls back to JSON here; start-up then refuses it with a message naming it ({@link #check}). */
  static String resolve(Map<String, String> env, Path workingDirFile) {
    String value = env.get(KEY);
    if (value == null) {
      value = fromFile(workingDirFile);
    }
    if (value == null) {
      try (InputStream packaged = LogFormat.class.getClassLoader().getResourceAsStream(ConfigLoader.CONFIG_FILE)) {
        value = packaged == null ? null : valueIn(new Yaml().load(packaged));
      } catch (IOException | RuntimeException e) {
        value = null;
      }
    }
    return TEXT.equals(normalised(value)) ? TEXT : JSON;
  }

  /** The loaded setting must be {@code json} or {@code text}. */
  public static String check(Settings settings) {
    String value = normalised(settings.string(KEY));
    if (!JSON.equals(value) && !TEXT.equals(value)) {
      throw new ConfigException(KEY + " must be json or text, not '" + settings.string(KEY) + "'");
    }
    return value;
  }

  private static String fromFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return valueIn(new Yaml().load(in));
    } catch (IOException | RuntimeException unreadable) {
      return null; // ConfigLoader reports a malformed file at start-up
    }
  }

  private static String valueIn(Object yaml) {
    return yaml instanceof Map<?, ?> map && map.get(KEY) != null ? String.valueOf(map.get(KEY)) : null;
  }

  private static String normalised(String value) {
    return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
  }
}
