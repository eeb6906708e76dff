package org.tidepool.clinic.settings;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The settings domain in the store: the clinic settings operations (their indexes are the clinics'). */
public final class SettingsModule implements DomainModule {
  private final SettingsService settings;

  public SettingsModule(SettingsService settings) {
    this.settings = settings;
  }

  @Override
  public Domain domain() {
    return Domain.SETTINGS;
  }

  @Override
  public List<IndexSpec> indexes() {
    return List.of();
  }

  @Override
  public ActionHandlers handlers() {
    return new SettingsOperations(settings).handlers();
  }
}
