package org.tidepool.clinic.cdc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tidepool.clinic.config.ConfigLoader;
import org.tidepool.clinic.testing.Namespace;

/** The merged configuration (conf/config.yaml defaults) as ClinicApplication hands it to a verticle. */
public final class CdcTestConfig {
  private CdcTestConfig() {}

  public static JsonObject load(Vertx vertx, String kafkaBootstrap, int mongoPort, JsonObject overrides) {
    JsonObject merged = new JsonObject()
        .put("KAFKA_BROKERS", kafkaBootstrap)
        .put("mongo", new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + mongoPort).put("db_name", "clinic"))
        .mergeIn(overrides);
    return loaded(ConfigLoader.load(vertx, merged));
  }

  /** The same on servers shared with other classes: the namespace's databases, topics and sender. */
  public static JsonObject load(Vertx vertx, String kafkaBootstrap, String mongoAddress, Namespace namespace,
                                JsonObject overrides) {
    JsonObject merged = namespace.config()
        .put("KAFKA_BROKERS", kafkaBootstrap)
        .put("mongo", new JsonObject().put("connection_string", "mongodb://" + mongoAddress).put("db_name", namespace.clinicDatabase()))
        .mergeIn(overrides);
    return loaded(ConfigLoader.load(vertx, merged));
  }

  private static JsonObject loaded(Future<JsonObject> config) {
    try {
      return config.await(1, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      throw new AssertionError("the configuration did not load within a minute", e);
    }
  }
}
