package org.tidepool.clinic.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Merges, lowest priority first: the packaged {@code conf/config.yaml}, a {@code conf/config.yaml}
 * in the working directory (or {@code CONFIG_FILE}), the environment, then explicit overrides.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<JsonObject> load(Vertx vertx, JsonObject overrides) {
    String file = System.getenv().getOrDefault("CONFIG_FILE", "conf/config.yaml");
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0)
        .addStore(yaml("conf/config.yaml", false))
        .addStore(yaml(file, true))
        .addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true)))
        .addStore(new ConfigStoreOptions().setType("json").setConfig(overrides == null ? new JsonObject() : overrides));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().eventually(retriever::close);
  }

  private static ConfigStoreOptions yaml(String path, boolean optional) {
    return new ConfigStoreOptions().setType("file").setFormat("yaml").setOptional(optional)
        .setConfig(new JsonObject().put("path", path));
  }
}
