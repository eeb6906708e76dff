package org.tidepool.clinic.migrations;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The migrations domain in the store: the {@code migrations} indexes and the six migration operations. */
public final class MigrationsModule implements DomainModule {
  private final MigrationService migrations;

  public MigrationsModule(MigrationService migrations) {
    this.migrations = migrations;
  }

  @Override
  public Domain domain() {
    return Domain.MIGRATIONS;
  }

  @Override
  public List<IndexSpec> indexes() {
    return MigrationRepository.indexes();
  }

  @Override
  public ActionHandlers handlers() {
    return new MigrationOperations(migrations).handlers();
  }
}
