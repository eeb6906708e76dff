package org.tidepool.clinic.cdc;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.config.ConfigLoader;

/** The merged configuration (conf/config.yaml defaults) as ClinicApplication hands it to a verticle. */
public final class CdcTestConfig {
  private CdcTestConfig() {}

  public static JsonObject load(Vertx vertx, String kafkaBootstrap, int mongoPort, JsonObject overrides) {
    JsonObject merged = new JsonObject()
        .put("KAFKA_BROKERS", kafkaBootstrap)
        .put("mongo", new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + mongoPort).put("db_name", "clinic"))
        .mergeIn(overrides);
    return ConfigLoader.load(vertx, merged).await();
  }
}
