package org.tidepool.clinic.cdc.consumer.handlers;

import java.time.Duration;
import org.tidepool.clinic.config.GoDurations;
import org.tidepool.clinic.config.Settings;

/**
 * Settings of the patient handlers.
 *
 * @param remindersInterval {@code EMAIL_REMINDERS_INTERVAL}: when claim and connect reminders are due
 * @param claimUrl          where the embedded mode's custodial invite sends its reader
 *                          ({@code TIDEPOOL_WEBAPP_URL} + {@code CUSTODIAL_CLAIM_PATH})
 */
public record HandlerSettings(Duration remindersInterval, String claimUrl) {
  /** A provider connection's restricted token lasts as upstream's: 30 days. */
  static final Duration TOKEN_VALIDITY = Duration.ofDays(30);

  public static HandlerSettings from(Settings settings) {
    String web = settings.required("TIDEPOOL_WEBAPP_URL");
    web = web.endsWith("/") ? web.substring(0, web.length() - 1) : web;
    return new HandlerSettings(GoDurations.read(settings, "EMAIL_REMINDERS_INTERVAL"), web + settings.required("CUSTODIAL_CLAIM_PATH"));
  }
}
