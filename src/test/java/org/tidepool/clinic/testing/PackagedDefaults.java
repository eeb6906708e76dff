package org.tidepool.clinic.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.tidepool.clinic.config.Settings;
import org.yaml.snakeyaml.Yaml;

/**
 * The packaged {@code conf/config.yaml} (every setting with its default), without the
 * environment: what a config class or verticle reads when a test sets only a few values.
 */
public final class PackagedDefaults {
  private PackagedDefaults() {}

  /** The defaults with {@code values} on top. */
  public static JsonObject with(JsonObject values) {
    try (InputStream yaml = PackagedDefaults.class.getClassLoader().getResourceAsStream("conf/config.yaml")) {
      if (yaml == null) {
        throw new IllegalStateException("conf/config.yaml is not on the test classpath");
      }
      Map<String, Object> defaults = new Yaml().load(yaml);
      return new JsonObject(defaults).mergeIn(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Settings settings(JsonObject values) {
    return new Settings(with(values));
  }
}
