package org.tidepool.clinic.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;

/** Builds and deploys the verticle(s) of one role with the platform ports they need. */
final class Verticles {
  private final Vertx vertx;
  private final Settings settings;
  private final MongoClient platformDatabase;
  private final EmbeddedInfrastructure infrastructure;

  Verticles(Vertx vertx, Settings settings, MongoClient platformDatabase, EmbeddedInfrastructure infrastructure) {
    this.vertx = vertx;
    this.settings = settings;
    this.platformDatabase = platformDatabase;
    this.infrastructure = infrastructure;
  }

  /** The deployment ids of the role's verticles. */
  Future<List<String>> deploy(Role role, DeploymentOptions options) {
    return Future.failedFuture(new ConfigException("role " + role.configName() + " is not available in this build"));
  }
}
