package org.tidepool.clinic.store;

import java.util.Optional;
import org.tidepool.clinic.config.Settings;

/**
 * The store's settings: the clinic database, the optional demo patient added to new clinics, and
 * for crash tests only the step at which an operation halts ({@code <kind>:<step>}, see
 * {@code intents.IntentLog}).
 */
public record StoreConfig(String databaseName, Optional<String> demoPatientUserId, String haltAt) {
  public static final String DATABASE_NAME = "TIDEPOOL_CLINIC_DATABASE_NAME";
  public static final String DEMO_PATIENT_USER_ID = "CLINIC_DEMO_PATIENT_USER_ID";
  public static final String HALT_AT = "TEST_HALT_AT_STEP";

  public static StoreConfig from(Settings settings) {
    String demo = settings.string(DEMO_PATIENT_USER_ID);
    return new StoreConfig(settings.required(DATABASE_NAME), demo.isEmpty() ? Optional.empty() : Optional.of(demo),
        settings.string(HALT_AT));
  }
}
