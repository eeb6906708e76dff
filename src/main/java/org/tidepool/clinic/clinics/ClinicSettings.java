package org.tidepool.clinic.clinics;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings a clinic document carries beside its profile (upstream's shapes, §2.6): who may
 * join, the EHR integration, the MRN rules, the patient-count limits and the cached patient
 * counts. Each is null when the document has none.
 */
public record ClinicSettings(List<MembershipRestriction> membershipRestrictions, EhrSettings ehr, MrnSettings mrn,
                             PatientCountSettings patientCountSettings, PatientCount patientCount) {
  public static final ClinicSettings NONE = new ClinicSettings(null, null, null, null, null);

  /** A user joining the clinic must have an email of {@code emailDomain} (and, when set, have signed in through {@code requiredIdp}). */
  public record MembershipRestriction(String emailDomain, String requiredIdp) {}

  /** Whether patients need an MRN, and whether it must be unique within the clinic. */
  public record MrnSettings(boolean required, boolean unique) {}

  /**
   * The EHR (Redox or Xealth) integration. {@code destinationIds} and {@code notes} may be null;
   * {@code mrnIdType} is as stored (see {@link #effectiveMrnIdType}).
   */
  public record EhrSettings(boolean enabled, String sourceId, String provider, String mrnIdType, ProcedureCodes procedureCodes,
                            Destinations destinationIds, ScheduledReports scheduledReports, Tags tags, boolean flowsheetIcode,
                            Boolean notesIncludeGmi) {
    public static final String DEFAULT_MRN_ID_TYPE = "MRN";
    public static final String DEFAULT_CADENCE = "14d";

    public record ProcedureCodes(String enableSummaryReports, String disableSummaryReports, String createAccount,
                                 String createAccountAndEnableReports) {}

    public record Destinations(String flowsheet, String results, String notes) {}

    /** {@code onUploadNoteEventType} only counts when {@code onUploadEnabled}; {@code cadence} null: unset. */
    public record ScheduledReports(boolean onUploadEnabled, String onUploadNoteEventType, String cadence) {
      public String effectiveCadence() {
        return cadence == null || cadence.isBlank() ? DEFAULT_CADENCE : cadence;
      }
    }

    /** {@code codes} never null (empty: no tag codes). */
    public record Tags(List<String> codes, String separator) {}

    public String effectiveMrnIdType() {
      return mrnIdType == null || mrnIdType.isBlank() ? DEFAULT_MRN_ID_TYPE : mrnIdType;
    }
  }

  /** A limit on the plan patient count, applied from {@code startDate} to {@code endDate} when they are set. */
  public record PatientCountLimit(int plan, Instant startDate, Instant endDate) {
    /** Whether the limit applies at {@code time}: inside its window, both ends included. */
    public boolean appliesAt(Instant time) {
      return (startDate == null || !time.isBefore(startDate)) && (endDate == null || !time.isAfter(endDate));
    }

    /** The problem with this limit, or null: a negative plan, or a window that ends before it starts. */
    public String problem(String name) {
      if (plan < 0) {
        return name + ".plan must be 0 or more, got " + plan;
      }
      if (startDate != null && endDate != null && startDate.isAfter(endDate)) {
        return name + ".startDate must not be after " + name + ".endDate";
      }
      return null;
    }
  }

  /** The hard limit stops new custodial patients; the soft limit is only kept and shown. */
  public record PatientCountSettings(PatientCountLimit hardLimit, PatientCountLimit softLimit) {
    /** Countries the limits apply in (the US; upstream's own fixtures spell it USA, D19); an unset country counts as the US. */
    private static final Set<String> LIMITED_COUNTRIES = Set.of("", "US", "USA");

    /**
     * The hard limit on the plan count for a clinic in {@code country} on {@code tier} at {@code time},
     * or null when none applies: limits apply to US clinics on the default tier, inside the limit's window.
     */
    public Integer hardLimitAt(String country, String tier, Instant time) {
      boolean limited = LIMITED_COUNTRIES.contains(country == null ? "" : country.trim().toUpperCase(Locale.ROOT))
          && Tiers.DEFAULT.equals(Tiers.effective(tier));
      return limited && hardLimit != null && hardLimit.appliesAt(time) ? hardLimit.plan() : null;
    }

    /** The first problem of the two limits, or null. */
    public String problem() {
      String hard = hardLimit == null ? null : hardLimit.problem("hardLimit");
      return hard != null ? hard : softLimit == null ? null : softLimit.problem("softLimit");
    }
  }

  /** The cached patient counts: all, demo, those counting towards the plan, and per data-source provider. */
  public record PatientCount(int total, int demo, int plan, Map<String, ProviderCount> providers) {
    /** Patients with a data source of one provider, in all and by the data source's state. */
    public record ProviderCount(int total, Map<String, Integer> states) {}
  }
}
