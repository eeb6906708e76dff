package org.tidepool.clinic.clinics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A clinic as the domain sees it. {@code tier} is as stored (null: the default tier);
 * {@code patientTags}, {@code sites} and {@code suppressedNotifications} are null when the
 * document has none; {@code settings} holds the other settings fields (never null);
 * {@code lastDeletedPatientTag} is the tag deleted last (null when none was).
 */
public record Clinic(String id, ClinicProfile profile, String shareCode, List<String> admins, boolean migrated,
                     String tier, List<PatientTag> patientTags, List<Site> sites, Map<String, Object> suppressedNotifications,
                     Instant createdTime, Instant updatedTime, long revision, ClinicSettings settings,
                     PatientTag lastDeletedPatientTag) {
  private static final List<String> MIGRATION_REQUIRED = List.of("address", "city", "clinicType", "country", "name",
      "postalCode", "state", "preferredBgUnits");

  /** A clinic without settings (a new one). */
  public Clinic(String id, ClinicProfile profile, String shareCode, List<String> admins, boolean migrated, String tier,
                List<PatientTag> patientTags, List<Site> sites, Map<String, Object> suppressedNotifications,
                Instant createdTime, Instant updatedTime, long revision) {
    this(id, profile, shareCode, admins, migrated, tier, patientTags, sites, suppressedNotifications, createdTime, updatedTime,
        revision, ClinicSettings.NONE, null);
  }

  /** A clinic with settings, no tag deleted yet. */
  public Clinic(String id, ClinicProfile profile, String shareCode, List<String> admins, boolean migrated, String tier,
                List<PatientTag> patientTags, List<Site> sites, Map<String, Object> suppressedNotifications,
                Instant createdTime, Instant updatedTime, long revision, ClinicSettings settings) {
    this(id, profile, shareCode, admins, migrated, tier, patientTags, sites, suppressedNotifications, createdTime, updatedTime,
        revision, settings, null);
  }

  /** A tag of the clinic's patients; {@code numPatients} as last counted (see {@code ClinicDocuments}). */
  public record PatientTag(String id, String name, long numPatients) {
    public PatientTag(String id, String name) {
      this(id, name, 0);
    }
  }

  /** A site of the clinic; {@code numPatients} as last counted. */
  public record Site(String id, String name, long numPatients) {
    public Site(String id, String name) {
      this(id, name, 0);
    }
  }

  /** Not migrated yet, with a complete profile, valid tags and at least one admin. */
  public boolean canMigrate() {
    if (migrated) {
      return false;
    }
    Map<String, String> fields = profile.asMap();
    for (String field : MIGRATION_REQUIRED) {
      String value = fields.get(field);
      if (value == null || value.isBlank()) {
        return false;
      }
    }
    boolean tagsValid = patientTags == null
        || patientTags.stream().allMatch(tag -> tag.id() != null && tag.name() != null && !tag.name().isBlank());
    return tagsValid && !admins.isEmpty();
  }

  public Clinic withShareCode(String code) {
    return new Clinic(id, profile, code, admins, migrated, tier, patientTags, sites, suppressedNotifications,
        createdTime, updatedTime, revision, settings, lastDeletedPatientTag);
  }

  public String effectiveTier() {
    return Tiers.effective(tier);
  }
}
