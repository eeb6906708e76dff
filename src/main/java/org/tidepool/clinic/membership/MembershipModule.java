package org.tidepool.clinic.membership;

import java.util.ArrayList;
import java.util.List;
import org.tidepool.clinic.deletions.DeletionArchive;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The membership domain in the store: clinic creation and deletion, every change of clinicians, and the archives they write. */
public final class MembershipModule implements DomainModule {
  private final ClinicLifecycle lifecycle;
  private final MembershipService membership;

  public MembershipModule(ClinicLifecycle lifecycle, MembershipService membership) {
    this.lifecycle = lifecycle;
    this.membership = membership;
  }

  @Override
  public Domain domain() {
    return Domain.MEMBERSHIP;
  }

  @Override
  public List<IndexSpec> indexes() {
    List<IndexSpec> indexes = new ArrayList<>(DeletionArchive.clinicIndexes());
    indexes.addAll(DeletionArchive.clinicianIndexes());
    return indexes;
  }

  @Override
  public ActionHandlers handlers() {
    return new MembershipOperations(lifecycle, membership).handlers();
  }
}
