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
import org.tidepool.clinic.operations.DomainModule;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.settings.PatientCounts;
import org.tidepool.clinic.settings.SettingsModule;
import org.tidepool.clinic.settings.SettingsService;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.store.DomainWiring;
import org.tidepool.clinic.store.StoreResources;
import org.tidepool.clinic.users.PatientEmails;
import org.tidepool.clinic.users.UserDetailsService;
import org.tidepool.clinic.users.UsersModule;

/** The one place that knows every domain: builds their services and modules for the store. */
public final class Domains implements DomainWiring {
  private final UserDirectory users;
  private final ServiceAccounts serviceAccounts;

  public Domains(UserDirectory users, ServiceAccounts serviceAccounts) {
    this.users = users;
    this.serviceAccounts = serviceAccounts;
  }

  @Override
  public List<DomainModule> modules(StoreResources store) {
    DeletionArchive archive = new DeletionArchive(store.mongo());
    ClinicRepository clinicRepository = new ClinicRepository(store.mongo(), store.writes());
    ClinicianRepository clinicianRepository = new ClinicianRepository(store.mongo(), store.writes(), archive);
    ClinicService clinics = new ClinicService(clinicRepository);
    ClinicianService clinicians = new ClinicianService(clinicianRepository, clinics, users);
    ClinicLifecycle lifecycle = new ClinicLifecycle(clinicRepository, clinicianRepository,
        new ClinicPatients(store.mongo(), store.config().demoPatientUserId(), users), archive, users, store.locks(), store.intents());
    MembershipService membership = new MembershipService(clinicRepository, clinics, clinicianRepository, clinicians,
        users, serviceAccounts, store.locks(), store.intents());
    // the patients domain's RefreshPatientCount takes the place of NOT_COUNTED once it is wired here
    SettingsService settings = new SettingsService(clinics, clinicRepository, PatientCounts.NOT_COUNTED);
    return List.of(new ClinicsModule(clinics), new CliniciansModule(clinicians), new MembershipModule(lifecycle, membership),
        new SettingsModule(settings),
        // the patients domain's email update takes the place of PatientEmails.NONE once it is wired here
        new UsersModule(new UserDetailsService(clinicianRepository, store.locks(), PatientEmails.NONE)));
  }
}
