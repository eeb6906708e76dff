package org.tidepool.clinic.patientgroups;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/**
 * The tags and sites domain in the store: their operations. It keeps no collection of its own
 * (tags and sites are fields of the clinic, copies on the patients, whose indexes
 * {@code PatientTagsV2} and {@code Sites} the patients domain declares).
 */
public final class PatientGroupsModule implements DomainModule {
  private final TagService tags;
  private final SiteService sites;

  public PatientGroupsModule(TagService tags, SiteService sites) {
    this.tags = tags;
    this.sites = sites;
  }

  @Override
  public Domain domain() {
    return Domain.PATIENT_GROUPS;
  }

  @Override
  public List<IndexSpec> indexes() {
    return List.of();
  }

  @Override
  public ActionHandlers handlers() {
    return new PatientGroupOperations(tags, sites).handlers();
  }
}
