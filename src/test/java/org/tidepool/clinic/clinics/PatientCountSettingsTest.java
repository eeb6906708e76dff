package org.tidepool.clinic.clinics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCountLimit;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCountSettings;

/** Which hard limit applies to a clinic (rule 18, D19): US clinics on the default tier, inside the limit's window. */
class PatientCountSettingsTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final PatientCountSettings LIMIT_250 = new PatientCountSettings(new PatientCountLimit(250, null, null), null);

  @Test
  void theHardLimitAppliesToUsClinicsOnTheDefaultTierWhicheverWayTheUsIsSpelt() {
    for (String country : new String[] {null, "", "US", "USA", "usa", " US "}) {
      assertThat(LIMIT_250.hardLimitAt(country, null, NOW)).as(country).isEqualTo(250);
      assertThat(LIMIT_250.hardLimitAt(country, "tier0100", NOW)).as(country).isEqualTo(250);
    }
  }

  @Test
  void otherCountriesAndPaidTiersHaveNoLimit() {
    assertThat(LIMIT_250.hardLimitAt("CA", null, NOW)).isNull();
    assertThat(LIMIT_250.hardLimitAt("United Kingdom", "tier0100", NOW)).isNull();
    assertThat(LIMIT_250.hardLimitAt("US", "tier0200", NOW)).isNull();
    assertThat(new PatientCountSettings(null, new PatientCountLimit(10, null, null)).hardLimitAt("US", null, NOW))
        .as("a soft limit is only shown").isNull();
  }

  @Test
  void aHardLimitAppliesOnlyInsideItsWindowBothEndsIncluded() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    Instant end = Instant.parse("2026-12-31T00:00:00Z");
    PatientCountSettings windowed = new PatientCountSettings(new PatientCountLimit(5, start, end), null);
    assertThat(windowed.hardLimitAt("US", null, NOW)).isEqualTo(5);
    assertThat(windowed.hardLimitAt("US", null, start)).isEqualTo(5);
    assertThat(windowed.hardLimitAt("US", null, end)).isEqualTo(5);
    assertThat(windowed.hardLimitAt("US", null, start.minusMillis(1))).isNull();
    assertThat(windowed.hardLimitAt("US", null, end.plusMillis(1))).isNull();
    assertThat(new PatientCountSettings(new PatientCountLimit(5, start, null), null).hardLimitAt("US", null, end.plusSeconds(86400)))
        .isEqualTo(5);
  }

  @Test
  void aWindowEndingBeforeItStartsOrANegativePlanIsAProblem() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(new PatientCountSettings(new PatientCountLimit(5, start, start.minusSeconds(1)), null).problem()).contains("hardLimit.startDate");
    assertThat(new PatientCountSettings(null, new PatientCountLimit(-1, null, null)).problem()).contains("softLimit.plan");
    assertThat(new PatientCountSettings(new PatientCountLimit(0, start, start), null).problem()).isNull();
  }
}
