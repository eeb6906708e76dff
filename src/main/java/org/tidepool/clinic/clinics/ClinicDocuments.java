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
  public static final String PATIENT_TAGS = "patientTags";
  public static final String SITES = "sites";
  /** The id of the tag deleted last (an ObjectId, as upstream: the worker strips it from the patients). */
  public static final String LAST_DELETED_TAG = "lastDeletedPatientTag";
  /** Its name (ours: upstream keeps the id only and never returns the tag, D10). */
  public static final String LAST_DELETED_TAG_NAME = "lastDeletedPatientTagName";
  public static final String GROUP_COUNTS = "patientGroupCounts";

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
    JsonObject counts = doc.getJsonObject(GROUP_COUNTS, new JsonObject());
    JsonObject tagCounts = counts.getJsonObject("tags", new JsonObject());
    JsonObject siteCounts = counts.getJsonObject("sites", new JsonObject());
    List<Clinic.PatientTag> tags = doc.getJsonArray(PATIENT_TAGS) == null ? null
        : doc.getJsonArray(PATIENT_TAGS).stream().map(JsonObject.class::cast).map(tag -> {
            String id = MongoJson.hex(tag.getValue("_id"));
            return new Clinic.PatientTag(id, tag.getString("name"), tagCounts.getLong(id, 0L));
          }).toList();
    List<Clinic.Site> sites = doc.getJsonArray(SITES) == null ? null
        : doc.getJsonArray(SITES).stream().map(JsonObject.class::cast).map(site -> {
            String id = MongoJson.hex(site.getValue("id"));
            return new Clinic.Site(id, site.getString("name"), siteCounts.getLong(id, 0L));
          }).toList();
    Clinic.PatientTag lastDeleted = doc.getValue(LAST_DELETED_TAG) == null ? null
        : new Clinic.PatientTag(MongoJson.hex(doc.getValue(LAST_DELETED_TAG)), doc.getString(LAST_DELETED_TAG_NAME));
    JsonObject suppressed = doc.getJsonObject("suppressedNotifications");
    return new Clinic(MongoJson.hex(doc.getValue("_id")), ClinicProfile.of(fields, phones), doc.getString("canonicalShareCode"),
        doc.getJsonArray("admins", new JsonArray()).stream().map(String::valueOf).toList(),
        doc.getBoolean("isMigrated", false), doc.getString("tier"), tags, sites,
        suppressed == null ? null : suppressed.getMap(),
        MongoJson.instant(doc.getValue("createdTime")), MongoJson.instant(doc.getValue("updatedTime")), Revision.of(doc),
        ClinicSettingsDocuments.fromDocument(doc), lastDeleted);
  }

  /** The {@code patientTags} field: {@code [{_id, name}]} (upstream's shape). */
  public static JsonArray patientTagsDocument(List<Clinic.PatientTag> tags) {
    JsonArray doc = new JsonArray();
    tags.forEach(tag -> doc.add(new JsonObject().put("_id", MongoJson.oid(tag.id())).put("name", tag.name())));
    return doc;
  }

  /** The {@code sites} field: {@code [{id, name}]} (upstream's shape: {@code id}, not {@code _id}). */
  public static JsonArray sitesDocument(List<Clinic.Site> sites) {
    JsonArray doc = new JsonArray();
    sites.forEach(site -> doc.add(new JsonObject().put("id", MongoJson.oid(site.id())).put("name", site.name())));
    return doc;
  }

  /**
   * The cached patient counts per tag and site ({@code {tags: {<id>: n}, sites: {<id>: n}}}), a
   * field of ours beside upstream's: the clinic read shows {@code numPatients} without a scan.
   */
  public static JsonObject groupCountsDocument(java.util.Map<String, Long> perTag, java.util.Map<String, Long> perSite) {
    return new JsonObject().put("tags", new JsonObject(new LinkedHashMap<String, Object>(perTag)))
        .put("sites", new JsonObject(new LinkedHashMap<String, Object>(perSite)));
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
