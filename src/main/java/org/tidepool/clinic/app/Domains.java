package org.tidepool.clinic.app;

import java.util.List;
import org.tidepool.clinic.clinicians.ClinicianRepository;
import org.tidepool.clinic.clinicians.ClinicianService;
import org.tidepool.clinic.clinicians.CliniciansModule;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.clinics.ClinicsModule;
import org.tidepool.clinic.deletions.DeletionArchive;
import org.tidepool.clinic.membership.ClinicLifecycle;
import org.tidepool.clinic.membership.ClinicPatients;
import org.tidepool.clinic.membership.MembershipModule;
import org.tidepool.clinic.membership.MembershipService;
import org.tidepool.clinic.migrations.MigrationRepository;
import org.tidepool.clinic.migrations.MigrationService;
import org.tidepool.clinic.migrations.MigrationsModule;
import org.tidepool.clinic.operations.DomainModule;
import org.tidepool.clinic.patientgroups.PatientGroupsModule;
import org.tidepool.clinic.patientgroups.SiteService;
import org.tidepool.clinic.patientgroups.TagService;
import org.tidepool.clinic.patientlist.PatientListModule;
import org.tidepool.clinic.patients.PatientCounts;
import org.tidepool.clinic.patients.PatientSummaries;
import org.tidepool.clinic.patients.PatientRepository;
import org.tidepool.clinic.patients.PatientService;
import org.tidepool.clinic.patients.PatientsModule;
import org.tidepool.clinic.patients.UserRemoval;
import org.tidepool.clinic.platform.PatientAccounts;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.settings.SettingsModule;
import org.tidepool.clinic.settings.SettingsService;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.store.DomainWiring;
import org.tidepool.clinic.store.StoreResources;
import org.tidepool.clinic.users.UserDetailsService;
import org.tidepool.clinic.users.UsersModule;

/** The one place that knows every domain: builds their services and modules for the store. */
public final class Domains implements DomainWiring {
  private final UserDirectory users;
  private final ServiceAccounts serviceAccounts;
  private final PatientAccounts patientAccounts;

  public Domains(UserDirectory users, ServiceAccounts serviceAccounts, PatientAccounts patientAccounts) {
    this.users = users;
    this.serviceAccounts = serviceAccounts;
    this.patientAccounts = patientAccounts;
  }

  /** Without patient accounts (custodial creation and profile reads answer 503). */
  public Domains(UserDirectory users, ServiceAccounts serviceAccounts) {
    this(users, serviceAccounts, PatientAccounts.UNAVAILABLE);
  }

  @Override
  public List<DomainModule> modules(StoreResources store) {
    DeletionArchive archive = new DeletionArchive(store.mongo());
    ClinicRepository clinicRepository = new ClinicRepository(store.mongo(), store.writes());
    ClinicianRepository clinicianRepository = new ClinicianRepository(store.mongo(), store.writes(), archive);
    ClinicService clinics = new ClinicService(clinicRepository);
    ClinicianService clinicians = new ClinicianService(clinicianRepository, clinics, users);
    ClinicLifecycle lifecycle = new ClinicLifecycle(clinicRepository, clinicianRepository,
        new ClinicPatients(store.mongo(), store.writes(), store.config().demoPatientUserId(), users), archive, users, store.locks(),
        store.intents());
    MembershipService membership = new MembershipService(clinicRepository, clinics, clinicianRepository, clinicians,
        users, serviceAccounts, store.locks(), store.intents());
    PatientRepository patientRepository = new PatientRepository(store.mongo(), store.writes());
    PatientCounts patientCounts = new PatientCounts(store.mongo(), store.writes(), store.config().demoPatientUserId());
    PatientService patients = new PatientService(store.mongo(), patientRepository, patientCounts, clinics, clinicians, patientAccounts,
        store.locks(), store.intents());
    UserRemoval userRemoval = new UserRemoval(patientRepository, patients, membership, store.locks(), store.intents());
    // GetPatientCount of a clinic without cached counts: the patients domain counts them
    SettingsService settings = new SettingsService(clinics, clinicRepository, clinicId -> patients.refreshCounts(clinicId)
        .compose(counted -> clinics.get(clinicId)).map(clinic -> clinic.settings().patientCount()));
    MigrationService migrations = new MigrationService(new MigrationRepository(store.mongo(), store.writes()), clinicRepository,
        clinics, clinicians, lifecycle, users, store.locks(), store.intents());
    return List.of(new ClinicsModule(clinics), new CliniciansModule(clinicians), new MembershipModule(lifecycle, membership),
        new MigrationsModule(migrations),
        new PatientsModule(patients, userRemoval, new PatientSummaries(patientRepository)), new SettingsModule(settings),
        new PatientListModule(store.vertx(), store.mongo()),
        new UsersModule(new UserDetailsService(clinicianRepository, store.locks(), store.intents(), patients::updateEmails)),
        new PatientGroupsModule(
            new TagService(clinics, clinicRepository, patientRepository, patientCounts, store.locks(), store.intents()),
            new SiteService(clinics, clinicRepository, patientRepository, patientCounts, store.locks(), store.intents())));
  }
}
