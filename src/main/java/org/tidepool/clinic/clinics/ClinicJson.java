package org.tidepool.clinic.clinics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;

/** Maps between the contract's {@code clinic.v1} JSON and {@link Clinic} / {@link ClinicProfile}. */
public final class ClinicJson {
  private static final Set<String> BG_UNITS = Set.of("mg/dL", "mmol/L");
  private static final Set<String> CLINIC_TYPES = Set.of("provider_practice", "healthcare_system", "veterinary_clinic", "other", "researcher");
  private static final Set<String> CLINIC_SIZES = Set.of("0-249", "250-499", "500-999", "1000+");

  private ClinicJson() {}

  /**
   * The profile fields present in {@code body}; absent ones are null (an update leaves them
   * unchanged). Read-only fields are ignored; a malformed field is a 400 naming it.
   */
  public static ClinicProfile profile(JsonObject body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : ClinicProfile.TEXT_FIELDS) {
      if (body.getValue(field) != null) {
        fields.put(field, text(body, field));
      }
    }
    if (body.containsKey("name") && (body.getValue("name") == null || fields.getOrDefault("name", "").isBlank())) {
      throw ServiceError.badRequest("name must not be empty");
    }
    checkEnum(fields, "clinicType", CLINIC_TYPES);
    checkEnum(fields, "clinicSize", CLINIC_SIZES);
    if (body.getValue("preferredBgUnits") != null) {
      String units = text(body, "preferredBgUnits");
      if (!BG_UNITS.contains(units)) {
        throw ServiceError.badRequest("preferredBgUnits must be one of mg/dL, mmol/L, got '" + units + "'");
      }
      fields.put("preferredBgUnits", units);
    }
    List<ClinicProfile.PhoneNumber> phones = body.getValue("phoneNumbers") == null ? null : phoneNumbers(body.getValue("phoneNumbers"));
    return ClinicProfile.of(fields, phones);
  }

  public static JsonObject toJson(Clinic clinic) {
    JsonObject json = new JsonObject().put("id", clinic.id());
    Map<String, String> profile = clinic.profile().asMap();
    for (String field : ClinicProfile.TEXT_FIELDS) {
      if (profile.get(field) != null) {
        json.put(field, profile.get(field));
      }
    }
    if (clinic.profile().phoneNumbers() != null) {
      JsonArray numbers = new JsonArray();
      for (ClinicProfile.PhoneNumber phone : clinic.profile().phoneNumbers()) {
        JsonObject entry = new JsonObject();
        if (phone.type() != null) {
          entry.put("type", phone.type());
        }
        numbers.add(entry.put("number", phone.number()));
      }
      json.put("phoneNumbers", numbers);
    }
    json.put("shareCode", clinic.shareCode());
    json.put("canMigrate", clinic.canMigrate());
    json.put("createdTime", clinic.createdTime() == null ? null : clinic.createdTime().toString());
    json.put("updatedTime", clinic.updatedTime() == null ? null : clinic.updatedTime().toString());
    json.put("tier", clinic.effectiveTier());
    json.put("tierDescription", Tiers.description(clinic.effectiveTier()));
    json.put("preferredBgUnits", clinic.profile().preferredBgUnits() == null ? "mg/dL" : clinic.profile().preferredBgUnits());
    if (clinic.patientTags() != null) {
      JsonArray tags = new JsonArray();
      clinic.patientTags().forEach(tag -> tags.add(tagToJson(tag)));
      json.put("patientTags", tags);
    }
    if (clinic.sites() != null) {
      JsonArray sites = new JsonArray();
      clinic.sites().forEach(site -> sites.add(siteToJson(site)));
      json.put("sites", sites);
    }
    // D10: the tag deleted last, as declared (a document of upstream's has its id only: left out)
    if (clinic.lastDeletedPatientTag() != null && clinic.lastDeletedPatientTag().name() != null) {
      json.put("lastDeletedPatientTag", new JsonObject().put("id", clinic.lastDeletedPatientTag().id())
          .put("name", clinic.lastDeletedPatientTag().name()));
    }
    if (clinic.suppressedNotifications() != null) {
      json.put("suppressedNotifications", new JsonObject(clinic.suppressedNotifications()));
    }
    return json;
  }

  /** {@code patientTag.v1}: id, name, numPatients. */
  public static JsonObject tagToJson(Clinic.PatientTag tag) {
    return new JsonObject().put("id", tag.id()).put("name", tag.name()).put("numPatients", tag.numPatients());
  }

  /** {@code site.v1}: id, name, numPatients (D9: not upstream's internal shape). */
  public static JsonObject siteToJson(Clinic.Site site) {
    return new JsonObject().put("id", site.id()).put("name", site.name()).put("numPatients", site.numPatients());
  }

  public static JsonArray toJson(List<Clinic> clinics) {
    JsonArray json = new JsonArray();
    clinics.forEach(clinic -> json.add(toJson(clinic)));
    return json;
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String text)) {
      throw ServiceError.badRequest(field + " must be a string");
    }
    return text;
  }

  private static void checkEnum(Map<String, String> fields, String field, Set<String> allowed) {
    String value = fields.get(field);
    if (value != null && !allowed.contains(value)) {
      throw ServiceError.badRequest(field + " must be one of " + allowed + ", got '" + value + "'");
    }
  }

  private static List<ClinicProfile.PhoneNumber> phoneNumbers(Object value) {
    if (!(value instanceof JsonArray numbers)) {
      throw ServiceError.badRequest("phoneNumbers must be an array");
    }
    List<ClinicProfile.PhoneNumber> phones = new ArrayList<>();
    for (Object item : numbers) {
      if (!(item instanceof JsonObject phone) || !(phone.getValue("number") instanceof String number) || number.isBlank()) {
        throw ServiceError.badRequest("each of phoneNumbers must be an object with a non-empty number");
      }
      phones.add(new ClinicProfile.PhoneNumber(phone.getValue("type") == null ? null : String.valueOf(phone.getValue("type")), number));
    }
    return phones;
  }
}
