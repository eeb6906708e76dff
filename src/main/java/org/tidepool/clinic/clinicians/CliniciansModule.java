package org.tidepool.clinic.clinicians;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The clinicians domain in the store: the {@code clinicians} indexes, the clinician reads and the roles lookup. */
public final class CliniciansModule implements DomainModule {
  private final ClinicianService clinicians;

  public CliniciansModule(ClinicianService clinicians) {
    this.clinicians = clinicians;
  }

  @Override
  public Domain domain() {
    return Domain.CLINICIANS;
  }

  @Override
  public List<IndexSpec> indexes() {
    return ClinicianRepository.indexes();
  }

  @Override
  public ActionHandlers handlers() {
    return new ClinicianOperations(clinicians).handlers();
  }
}
