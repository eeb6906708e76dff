package org.tidepool.clinic.users;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The users domain in the store: hooks for changes of a user's account at the platform. */
public final class UsersModule implements DomainModule {
  private final UserDetailsService details;

  public UsersModule(UserDetailsService details) {
    this.details = details;
  }

  @Override
  public Domain domain() {
    return Domain.USERS;
  }

  @Override
  public List<IndexSpec> indexes() {
    return List.of();
  }

  @Override
  public ActionHandlers handlers() {
    return new UserOperations(details).handlers();
  }
}
