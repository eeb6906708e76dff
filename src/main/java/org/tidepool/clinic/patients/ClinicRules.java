package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.Tiers;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * What a clinic's document says about its patients: MRN settings (rule 16), the patient-count
 * limits (rule 18, D19) and its sites (rule 23).
 */
record ClinicRules(String clinicId, String country, String tier, JsonObject mrnSettings, JsonObject patientCountSettings,
                   Map<String, String> siteNames) {
  static final int DEFAULT_HARD_LIMIT = 250;
  static final String MRN_REQUIRED = "mrn is required";
  static final String OVER_LIMIT = "patient count exceeds limit";
  private static final Set<String> UNITED_STATES = Set.of("", "US", "USA");
  private static final JsonObject FIELDS = new JsonObject().put("country", 1).put("tier", 1).put("mrnSettings", 1)
      .put("patientCountSettings", 1).put("sites", 1);

  /** The clinic's rules, or a 404. */
  static Future<ClinicRules> load(MongoClient mongo, String clinicId) {
    return mongo.findOne(ClinicRepository.COLLECTION, new JsonObject().put("_id", MongoJson.oid(clinicId)), FIELDS).compose(doc -> {
      if (doc == null) {
        return Future.failedFuture(ServiceError.notFound("clinic " + clinicId + " not found"));
      }
      Map<String, String> sites = new LinkedHashMap<>();
      if (doc.getValue("sites") instanceof JsonArray array) {
        array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
            .forEach(site -> sites.put(MongoJson.hex(site.getValue("id")), site.getString("name")));
      }
      return Future.succeededFuture(new ClinicRules(clinicId, doc.getString("country"), doc.getString("tier"),
          doc.getJsonObject("mrnSettings"), doc.getJsonObject("patientCountSettings"), sites));
    });
  }

  boolean mrnRequired() {
    return mrnSettings != null && mrnSettings.getBoolean("required", false);
  }

  boolean mrnUnique() {
    return mrnSettings != null && mrnSettings.getBoolean("unique", false);
  }

  /** The clinic's sites of these ids, named as the clinic names them, each once; 422 for an id the clinic has no site of. */
  List<Patient.Site> sites(List<String> siteIds) {
    if (siteIds == null) {
      return null;
    }
    List<Patient.Site> sites = new ArrayList<>();
    for (String id : siteIds.stream().distinct().toList()) {
      if (!siteNames.containsKey(id)) {
        throw ServiceError.unprocessable("the clinic has no site with id " + id);
      }
      sites.add(new Patient.Site(id, siteNames.get(id)));
    }
    return sites;
  }

  /** Limits apply in the US (an empty country, "US" or "USA") on the default tier only. */
  boolean limitsApply() {
    String normalised = country == null ? "" : country.trim().toUpperCase(Locale.ROOT);
    return UNITED_STATES.contains(normalised) && Tiers.DEFAULT.equals(Tiers.effective(tier));
  }

  /** The hard limit on plan patients in force at {@code now}, or null when none is. */
  Integer hardLimitAt(Instant now) {
    if (!limitsApply()) {
      return null;
    }
    JsonObject hard = patientCountSettings == null ? new JsonObject().put("plan", DEFAULT_HARD_LIMIT)
        : patientCountSettings.getJsonObject("hardLimit");
    if (hard == null || !(hard.getValue("plan") instanceof Number plan)) {
      return null;
    }
    Instant start = MongoJson.instant(hard.getValue("startDate"));
    Instant end = MongoJson.instant(hard.getValue("endDate"));
    if ((start != null && now.isBefore(start)) || (end != null && now.isAfter(end))) {
      return null;
    }
    return plan.intValue();
  }
}
