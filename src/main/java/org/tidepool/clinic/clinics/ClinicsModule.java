package org.tidepool.clinic.clinics;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The clinics domain in the store: the {@code clinics} indexes and the clinic reads and updates. */
public final class ClinicsModule implements DomainModule {
  private final ClinicService clinics;

  public ClinicsModule(ClinicService clinics) {
    this.clinics = clinics;
  }

  @Override
  public Domain domain() {
    return Domain.CLINICS;
  }

  @Override
  public List<IndexSpec> indexes() {
    return ClinicRepository.indexes();
  }

  @Override
  public ActionHandlers handlers() {
    return new ClinicOperations(clinics).handlers();
  }
}
