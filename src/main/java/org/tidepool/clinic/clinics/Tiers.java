package org.tidepool.clinic.clinics;

import java.util.List;
import java.util.Map;

/** Clinic service tiers; a clinic without a tier is on the default one. */
public final class Tiers {
  public static final String DEFAULT = "tier0100";
  private static final Map<String, String> DESCRIPTIONS = Map.of(
      "tier0100", "Free",
      "tier0200", "Standard",
      "tier0300", "Premium",
      "tier0400", "Enterprise");

  /** Every tier, in order (the contract's tier.v1). */
  public static final List<String> ALL = List.of("tier0100", "tier0200", "tier0300", "tier0400");

  private Tiers() {}

  public static String effective(String stored) {
    return stored == null || stored.isBlank() ? DEFAULT : stored;
  }

  public static String description(String tier) {
    return DESCRIPTIONS.getOrDefault(effective(tier), DESCRIPTIONS.get(DEFAULT));
  }
}
