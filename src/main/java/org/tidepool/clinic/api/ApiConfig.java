package org.tidepool.clinic.api;

import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.operations.Catalogue;

/** Settings of the api verticle. */
public record ApiConfig(String host, int port, long bodyLimitBytes, String storeAddress) {
  public static final String HTTP_HOST = "HTTP_HOST";
  public static final String HTTP_PORT = "HTTP_PORT";
  /**
   * Largest request body accepted; larger ones get 413. The default (256 KiB) is above the largest body
   * the contract's bounds allow, far below Kafka's 1 MB message limit (see the contract's header).
   */
  public static final String HTTP_BODY_LIMIT_BYTES = "HTTP_BODY_LIMIT_BYTES";
  static final String STORE_ADDRESS = Catalogue.STORE_ADDRESS;

  public static ApiConfig from(Settings settings) {
    String host = settings.required(HTTP_HOST);
    long bodyLimit = settings.integer(HTTP_BODY_LIMIT_BYTES);
    if (bodyLimit < 1) {
      throw new ConfigException(HTTP_BODY_LIMIT_BYTES + " must be positive, got " + bodyLimit);
    }
    return new ApiConfig(host, settings.port(HTTP_PORT), bodyLimit, STORE_ADDRESS);
  }
}
