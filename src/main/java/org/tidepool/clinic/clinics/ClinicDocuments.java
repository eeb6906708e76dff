package org.tidepool.clinic.clinics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Revision;

/** Maps between {@link Clinic} and the {@code clinics} documents (upstream's shapes). */
public final class ClinicDocuments {
  /** preferredBgUnits is stored with upstream's capitalised key. */
  static final String BG_UNITS_FIELD = "PreferredBgUnits";
  static final int DEFAULT_HARD_LIMIT = 250;

  private ClinicDocuments() {}

  public static Clinic fromDocument(JsonObject doc) {
    if (doc == null) {
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : ClinicProfile.TEXT_FIELDS) {
      fields.put(field, text(doc.getValue(field)));
    }
    fields.put("preferredBgUnits", text(doc.getValue(BG_UNITS_FIELD)));
    List<ClinicProfile.PhoneNumber> phones = doc.getValue("phoneNumbers") instanceof JsonArray numbers
        ? numbers.stream().map(JsonObject.class::cast)
            .map(phone -> new ClinicProfile.PhoneNumber(text(phone.getValue("type")), text(phone.getValue("number")))).toList()
        : null;
    List<Clinic.PatientTag> tags = doc.getJsonArray("patientTags") == null ? null
        : doc.getJsonArray("patientTags").stream().map(JsonObject.class::cast)
            .map(tag -> new Clinic.PatientTag(MongoJson.hex(tag.getValue("_id")), tag.getString("name"))).toList();
    List<Clinic.Site> sites = doc.getJsonArray("sites") == null ? null
        : doc.getJsonArray("sites").stream().map(JsonObject.class::cast)
            .map(site -> new Clinic.Site(MongoJson.hex(site.getValue("id")), site.getString("name"))).toList();
    JsonObject suppressed = doc.getJsonObject("suppressedNotifications");
    return new Clinic(MongoJson.hex(doc.getValue("_id")), ClinicProfile.of(fields, phones), doc.getString("canonicalShareCode"),
        doc.getJsonArray("admins", new JsonArray()).stream().map(String::valueOf).toList(),
        doc.getBoolean("isMigrated", false), doc.getString("tier"), tags, sites,
        suppressed == null ? null : suppressed.getMap(),
        MongoJson.instant(doc.getValue("createdTime")), MongoJson.instant(doc.getValue("updatedTime")), Revision.of(doc),
        ClinicSettingsDocuments.fromDocument(doc));
  }

  /** The fields of the profile that are not null, as document fields. */
  public static JsonObject profileFields(ClinicProfile profile) {
    JsonObject fields = new JsonObject();
    Map<String, String> values = profile.asMap();
    for (String field : ClinicProfile.TEXT_FIELDS) {
      if (values.get(field) != null) {
        fields.put(field, values.get(field));
      }
    }
    if (profile.preferredBgUnits() != null) {
      fields.put(BG_UNITS_FIELD, profile.preferredBgUnits());
    }
    if (profile.phoneNumbers() != null) {
      JsonArray numbers = new JsonArray();
      for (ClinicProfile.PhoneNumber phone : profile.phoneNumbers()) {
        JsonObject entry = new JsonObject();
        if (phone.type() != null) {
          entry.put("type", phone.type());
        }
        numbers.add(entry.put("number", phone.number()));
      }
      fields.put("phoneNumbers", numbers);
    }
    return fields;
  }

  /** The document of a new clinic with {@code demoPatients} patients counted (the demo patient). */
  static JsonObject newDocument(Clinic clinic, int demoPatients) {
    JsonObject doc = profileFields(clinic.profile())
        .put("_id", MongoJson.oid(clinic.id()))
        .put("admins", new JsonArray(clinic.admins()))
        .put("isMigrated", clinic.migrated())
        .put("tier", clinic.tier())
        .put("patientCountSettings", new JsonObject().put("hardLimit", new JsonObject().put("plan", DEFAULT_HARD_LIMIT)))
        .put("patientCount", new JsonObject().put("total", demoPatients).put("demo", demoPatients).put("plan", 0))
        .put("createdTime", MongoJson.date(clinic.createdTime()))
        .put("updatedTime", MongoJson.date(clinic.updatedTime()));
    if (!doc.containsKey(BG_UNITS_FIELD)) {
      doc.put(BG_UNITS_FIELD, "mg/dL");
    }
    return doc.put("canonicalShareCode", clinic.shareCode()).put("shareCodes", new JsonArray().add(clinic.shareCode()));
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
