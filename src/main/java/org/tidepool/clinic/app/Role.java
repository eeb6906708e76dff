package org.tidepool.clinic.app;

import java.util.Arrays;
import org.tidepool.clinic.config.ConfigException;

/** The verticles one process can deploy (config {@code ROLES}), in deployment order. */
public enum Role {
  STORE("store"),
  MAIL("mail"),
  MIGRATION("migration"),
  CDC_CONSUMER("cdc-consumer"),
  CDC_RELAY("cdc-relay"),
  API("api");

  private final String configName;

  Role(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Role of(String configName) {
    return Arrays.stream(values()).filter(r -> r.configName.equals(configName)).findFirst()
        .orElseThrow(() -> new ConfigException("ROLES contains an unknown role '" + configName
            + "'; known roles: " + Arrays.stream(values()).map(Role::configName).toList()));
  }
}
