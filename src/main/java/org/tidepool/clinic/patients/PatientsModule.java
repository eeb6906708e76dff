package org.tidepool.clinic.patients;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The patients domain in the store: the {@code patients} and {@code patient_deletions} indexes and the patient operations. */
public final class PatientsModule implements DomainModule {
  private final PatientService patients;
  private final UserRemoval userRemoval;
  private final PatientSummaries summaries;

  public PatientsModule(PatientService patients, UserRemoval userRemoval, PatientSummaries summaries) {
    this.patients = patients;
    this.userRemoval = userRemoval;
    this.summaries = summaries;
  }

  @Override
  public Domain domain() {
    return Domain.PATIENTS;
  }

  @Override
  public List<IndexSpec> indexes() {
    return PatientRepository.indexes();
  }

  @Override
  public ActionHandlers handlers() {
    return new PatientOperations(patients, userRemoval, summaries).handlers();
  }
}
