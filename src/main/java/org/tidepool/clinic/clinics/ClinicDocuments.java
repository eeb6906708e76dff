package org.tidepool.clinic.clinics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;

/** Maps between {@code clinic.v1} (API) and the {@code clinics} documents (upstream's shapes). */
public final class ClinicDocuments {
  /** API profile fields stored under the same name. */
  static final List<String> TEXT_FIELDS = List.of("name", "address", "city", "postalCode", "state", "country",
      "clinicType", "clinicSize", "website", "timezone");
  /** The API's preferredBgUnits is stored with upstream's capitalised key. */
  static final String BG_UNITS_FIELD = "PreferredBgUnits";
  private static final Set<String> BG_UNITS = Set.of("mg/dL", "mmol/L");
  private static final Set<String> CLINIC_TYPES = Set.of("provider_practice", "healthcare_system", "veterinary_clinic", "other", "researcher");
  private static final Set<String> CLINIC_SIZES = Set.of("0-249", "250-499", "500-999", "1000+");
  private static final List<String> MIGRATION_REQUIRED = List.of("address", "city", "clinicType", "country", "name",
      "postalCode", "state", BG_UNITS_FIELD);

  private ClinicDocuments() {}

  /**
   * The profile fields present in {@code body}, as document fields. Absent fields are not
   * included (an update leaves them unchanged); read-only fields are ignored.
   */
  public static JsonObject profile(JsonObject body) {
    JsonObject fields = new JsonObject();
    for (String field : TEXT_FIELDS) {
      if (body.getValue(field) != null) {
        fields.put(field, text(body, field));
      }
    }
    if (body.containsKey("name") && (body.getValue("name") == null || fields.getString("name", "").isBlank())) {
      throw ServiceError.badRequest("name must not be empty");
    }
    checkEnum(fields, "clinicType", CLINIC_TYPES);
    checkEnum(fields, "clinicSize", CLINIC_SIZES);
    if (body.getValue("preferredBgUnits") != null) {
      String units = text(body, "preferredBgUnits");
      if (!BG_UNITS.contains(units)) {
        throw ServiceError.badRequest("preferredBgUnits must be one of mg/dL, mmol/L, got '" + units + "'");
      }
      fields.put(BG_UNITS_FIELD, units);
    }
    if (body.getValue("phoneNumbers") != null) {
      fields.put("phoneNumbers", phoneNumbers(body.getValue("phoneNumbers")));
    }
    return fields;
  }

  public static JsonObject toApi(JsonObject doc) {
    JsonObject clinic = new JsonObject().put("id", MongoJson.hex(doc.getValue("_id")));
    for (String field : TEXT_FIELDS) {
      if (doc.getValue(field) != null) {
        clinic.put(field, doc.getValue(field));
      }
    }
    if (doc.getValue("phoneNumbers") != null) {
      clinic.put("phoneNumbers", doc.getValue("phoneNumbers"));
    }
    clinic.put("shareCode", doc.getString("canonicalShareCode"));
    clinic.put("canMigrate", canMigrate(doc));
    clinic.put("createdTime", MongoJson.dateText(doc.getValue("createdTime")));
    clinic.put("updatedTime", MongoJson.dateText(doc.getValue("updatedTime")));
    String tier = Tiers.effective(doc.getString("tier"));
    clinic.put("tier", tier);
    clinic.put("tierDescription", Tiers.description(tier));
    clinic.put("preferredBgUnits", doc.getString(BG_UNITS_FIELD, "mg/dL"));
    JsonArray tags = doc.getJsonArray("patientTags");
    if (tags != null) {
      JsonArray apiTags = new JsonArray();
      tags.stream().map(JsonObject.class::cast).forEach(tag -> apiTags.add(new JsonObject()
          .put("id", MongoJson.hex(tag.getValue("_id"))).put("name", tag.getString("name"))));
      clinic.put("patientTags", apiTags);
    }
    JsonArray sites = doc.getJsonArray("sites");
    if (sites != null) {
      JsonArray apiSites = new JsonArray();
      sites.stream().map(JsonObject.class::cast).forEach(site -> apiSites.add(new JsonObject()
          .put("id", MongoJson.hex(site.getValue("id"))).put("name", site.getString("name"))));
      clinic.put("sites", apiSites);
    }
    if (doc.getJsonObject("suppressedNotifications") != null) {
      clinic.put("suppressedNotifications", doc.getJsonObject("suppressedNotifications"));
    }
    return clinic;
  }

  /** Not migrated yet, with a complete profile, valid tags and at least one admin. */
  static boolean canMigrate(JsonObject doc) {
    if (doc.getBoolean("isMigrated", false)) {
      return false;
    }
    for (String field : MIGRATION_REQUIRED) {
      Object value = doc.getValue(field);
      if (!(value instanceof String text) || text.isBlank()) {
        return false;
      }
    }
    JsonArray tags = doc.getJsonArray("patientTags", new JsonArray());
    boolean tagsValid = tags.stream().allMatch(tag -> tag instanceof JsonObject object
        && object.getValue("_id") != null && !object.getString("name", "").isBlank());
    return tagsValid && !doc.getJsonArray("admins", new JsonArray()).isEmpty();
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String text)) {
      throw ServiceError.badRequest(field + " must be a string");
    }
    return text;
  }

  private static void checkEnum(JsonObject fields, String field, Set<String> allowed) {
    String value = fields.getString(field);
    if (value != null && !allowed.contains(value)) {
      throw ServiceError.badRequest(field + " must be one of " + allowed + ", got '" + value + "'");
    }
  }

  private static JsonArray phoneNumbers(Object value) {
    if (!(value instanceof JsonArray numbers)) {
      throw ServiceError.badRequest("phoneNumbers must be an array");
    }
    JsonArray stored = new JsonArray();
    for (Object item : numbers) {
      if (!(item instanceof JsonObject phone) || !(phone.getValue("number") instanceof String number) || number.isBlank()) {
        throw ServiceError.badRequest("each of phoneNumbers must be an object with a non-empty number");
      }
      JsonObject entry = new JsonObject();
      if (phone.getValue("type") != null) {
        entry.put("type", String.valueOf(phone.getValue("type")));
      }
      stored.add(entry.put("number", number));
    }
    return stored;
  }
}
