package org.tidepool.clinic.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.util.List;

/**
 * Merges, lowest priority first: the packaged {@code conf/config.yaml}, a {@code conf/config.yaml}
 * in the working directory (or {@code CONFIG_FILE}), the environment, then explicit overrides.
 * The packaged file lists every setting with its default; of the environment only those keys
 * are read, so unrelated variables (such as the {@code <SERVICE>_PORT=tcp://…} links Kubernetes
 * injects) never reach the configuration.
 */
public final class ConfigLoader {
  static final String CONFIG_FILE = "conf/config.yaml";

  private ConfigLoader() {}

  public static Future<JsonObject> load(Vertx vertx, JsonObject overrides) {
    String file = System.getenv().getOrDefault("CONFIG_FILE", CONFIG_FILE);
    return packagedDefaults(vertx).compose(defaults -> {
      ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0)
          .addStore(json(defaults))
          .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml").setOptional(true)
              .setConfig(new JsonObject().put("path", file)))
          .addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject()
              .put("raw-data", true).put("keys", new JsonArray(List.copyOf(defaults.fieldNames())))))
          .addStore(json(overrides == null ? new JsonObject() : overrides));
      ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
      return retriever.getConfig().eventually(retriever::close);
    });
  }

  /**
   * Read from the classpath itself: a file store would take a working-directory file of the same
   * name instead (Vert.x resolves files on disk before the classpath), and a partial file there
   * would hide every default.
   */
  private static Future<JsonObject> packagedDefaults(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      try (InputStream packaged = ConfigLoader.class.getClassLoader().getResourceAsStream(CONFIG_FILE)) {
        if (packaged == null) {
          throw new ConfigException(CONFIG_FILE + " is missing from the classpath");
        }
        return Buffer.buffer(packaged.readAllBytes());
      }
    }).compose(yaml -> new YamlProcessor().process(vertx, new JsonObject(), yaml));
  }

  private static ConfigStoreOptions json(JsonObject values) {
    return new ConfigStoreOptions().setType("json").setConfig(values);
  }
}
