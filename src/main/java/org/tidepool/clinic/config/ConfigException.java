package org.tidepool.clinic.config;

/** A missing or malformed setting; start-up stops with its message. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
