package org.tidepool.clinic.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.api.ApiVerticle;
import org.tidepool.clinic.cdc.consumer.CdcConsumerVerticle;
import org.tidepool.clinic.cdc.relay.RelayVerticle;
import org.tidepool.clinic.mail.MailVerticle;
import org.tidepool.clinic.migration.MigrationVerticle;
import org.tidepool.clinic.platform.Platform;
import org.tidepool.clinic.store.StoreVerticle;

/** Builds and deploys the verticle(s) of one role with the platform ports they need. */
final class Verticles {
  private final Vertx vertx;
  private final Settings settings;
  private final Platform platform;

  Verticles(Vertx vertx, Settings settings, Platform platform) {
    this.vertx = vertx;
    this.settings = settings;
    this.platform = platform;
  }

  /** The deployment ids of the role's verticles (none when the role is switched off). */
  Future<List<String>> deploy(Role role, DeploymentOptions options) {
    return switch (role) {
      case STORE -> one(new StoreVerticle(new Domains(platform.users(), platform.serviceAccounts(), platform.patientAccounts())), options);
      case MAIL -> one(new MailVerticle(), options);
      case MIGRATION -> one(new MigrationVerticle(platform.worker().legacyClinicians(), platform.worker().profiles(), platform.users()), options);
      case CDC_CONSUMER -> one(new CdcConsumerVerticle(platform.users(), platform.patientAccounts(), platform.worker()), options);
      case CDC_RELAY -> settings.bool("CDC_RELAY_ENABLED") ? one(new RelayVerticle(), options) : Future.succeededFuture(List.of());
      case API -> vertx.deployVerticle(() -> new ApiVerticle(platform), new DeploymentOptions(options).setInstances(apiInstances())).map(List::of);
    };
  }

  private int apiInstances() {
    int instances = settings.integer("HTTP_INSTANCES");
    if (instances < 1) {
      throw new ConfigException("HTTP_INSTANCES must be at least 1, got " + instances);
    }
    return instances;
  }

  private Future<List<String>> one(Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).map(List::of);
  }
}
