package org.tidepool.clinic.store;

import java.util.Optional;
import org.tidepool.clinic.config.Settings;

/** The store's settings: the clinic database and the optional demo patient added to new clinics. */
public record StoreConfig(String databaseName, Optional<String> demoPatientUserId) {
  public static final String DATABASE_NAME = "TIDEPOOL_CLINIC_DATABASE_NAME";
  public static final String DEMO_PATIENT_USER_ID = "CLINIC_DEMO_PATIENT_USER_ID";

  public static StoreConfig from(Settings settings) {
    String demo = settings.string(DEMO_PATIENT_USER_ID);
    return new StoreConfig(settings.required(DATABASE_NAME), demo.isEmpty() ? Optional.empty() : Optional.of(demo));
  }
}
