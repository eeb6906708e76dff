package org.tidepool.clinic.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.mail.MailVerticle;

/** Builds and deploys the verticle(s) of one role with the platform ports they need. */
final class Verticles {
  private final Vertx vertx;
  private final Settings settings;

  Verticles(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** The deployment ids of the role's verticles (none when the role is switched off). */
  Future<List<String>> deploy(Role role, DeploymentOptions options) {
    return switch (role) {
      case MAIL -> one(new MailVerticle(), options);
      default -> Future.failedFuture(new ConfigException("role " + role.configName() + " is not available in this build"));
    };
  }

  private Future<List<String>> one(Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).map(List::of);
  }
}
