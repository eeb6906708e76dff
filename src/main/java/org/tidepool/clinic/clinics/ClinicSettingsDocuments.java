package org.tidepool.clinic.clinics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tidepool.clinic.clinics.ClinicSettings.EhrSettings;
import org.tidepool.clinic.clinics.ClinicSettings.MembershipRestriction;
import org.tidepool.clinic.clinics.ClinicSettings.MrnSettings;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCount;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCountLimit;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCountSettings;
import org.tidepool.clinic.mongo.MongoJson;

/** The settings fields of a {@code clinics} document ↔ {@link ClinicSettings} (part of {@link ClinicDocuments}). */
public final class ClinicSettingsDocuments {
  public static final String MEMBERSHIP_RESTRICTIONS = "membershipRestrictions";
  public static final String EHR_SETTINGS = "ehrSettings";
  public static final String MRN_SETTINGS = "mrnSettings";
  public static final String PATIENT_COUNT_SETTINGS = "patientCountSettings";
  public static final String PATIENT_COUNT = "patientCount";

  private ClinicSettingsDocuments() {}

  static ClinicSettings fromDocument(JsonObject doc) {
    return new ClinicSettings(restrictions(doc.getJsonArray(MEMBERSHIP_RESTRICTIONS)), ehr(doc.getJsonObject(EHR_SETTINGS)),
        mrn(doc.getJsonObject(MRN_SETTINGS)), patientCountSettings(doc.getJsonObject(PATIENT_COUNT_SETTINGS)),
        patientCount(doc.getJsonObject(PATIENT_COUNT)));
  }

  public static JsonArray restrictionsDocument(List<MembershipRestriction> restrictions) {
    JsonArray array = new JsonArray();
    for (MembershipRestriction restriction : restrictions) {
      JsonObject entry = new JsonObject().put("emailDomain", restriction.emailDomain());
      if (restriction.requiredIdp() != null) {
        entry.put("requiredIdp", restriction.requiredIdp());
      }
      array.add(entry);
    }
    return array;
  }

  public static JsonObject ehrDocument(EhrSettings ehr) {
    EhrSettings.ProcedureCodes codes = ehr.procedureCodes();
    JsonObject procedureCodes = new JsonObject();
    putIfSet(procedureCodes, "enableSummaryReports", codes.enableSummaryReports());
    putIfSet(procedureCodes, "disableSummaryReports", codes.disableSummaryReports());
    putIfSet(procedureCodes, "createAccount", codes.createAccount());
    putIfSet(procedureCodes, "createAccountAndEnableReports", codes.createAccountAndEnableReports());
    JsonObject reports = new JsonObject().put("onUploadEnabled", ehr.scheduledReports().onUploadEnabled());
    // the note event type only means something for reports on upload (upstream drops it otherwise)
    if (ehr.scheduledReports().onUploadEnabled()) {
      putIfSet(reports, "onUploadNoteEventType", ehr.scheduledReports().onUploadNoteEventType());
    }
    putIfSet(reports, "cadence", ehr.scheduledReports().cadence());
    JsonObject tags = new JsonObject().put("codes", new JsonArray(ehr.tags().codes()));
    putIfSet(tags, "separator", ehr.tags().separator());
    JsonObject doc = new JsonObject()
        .put("enabled", ehr.enabled())
        .put("sourceId", ehr.sourceId())
        .put("provider", ehr.provider())
        .put("mrnIdType", ehr.mrnIdType())
        .put("procedureCodes", procedureCodes)
        .put("scheduledReports", reports)
        .put("tags", tags)
        .put("flowsheets", new JsonObject().put("icode", ehr.flowsheetIcode()));
    if (ehr.destinationIds() != null) {
      doc.put("destinationIds", new JsonObject().put("flowsheet", ehr.destinationIds().flowsheet())
          .put("results", ehr.destinationIds().results()).put("notes", ehr.destinationIds().notes()));
    }
    if (ehr.notesIncludeGmi() != null) {
      doc.put("notes", new JsonObject().put("includeGMI", ehr.notesIncludeGmi()));
    }
    return doc;
  }

  public static JsonObject mrnDocument(MrnSettings mrn) {
    return new JsonObject().put("required", mrn.required()).put("unique", mrn.unique());
  }

  public static JsonObject patientCountSettingsDocument(PatientCountSettings settings) {
    JsonObject doc = new JsonObject();
    if (settings.hardLimit() != null) {
      doc.put("hardLimit", limitDocument(settings.hardLimit()));
    }
    if (settings.softLimit() != null) {
      doc.put("softLimit", limitDocument(settings.softLimit()));
    }
    return doc;
  }

  public static JsonObject patientCountDocument(PatientCount count) {
    JsonObject doc = new JsonObject().put("total", count.total()).put("demo", count.demo()).put("plan", count.plan());
    if (count.providers() != null) {
      JsonObject providers = new JsonObject();
      count.providers().forEach((name, provider) -> providers.put(name,
          new JsonObject().put("total", provider.total()).put("states", new JsonObject(new LinkedHashMap<>(provider.states())))));
      doc.put("providers", providers);
    }
    return doc;
  }

  private static JsonObject limitDocument(PatientCountLimit limit) {
    JsonObject doc = new JsonObject().put("plan", limit.plan());
    if (limit.startDate() != null) {
      doc.put("startDate", MongoJson.date(limit.startDate()));
    }
    if (limit.endDate() != null) {
      doc.put("endDate", MongoJson.date(limit.endDate()));
    }
    return doc;
  }

  private static List<MembershipRestriction> restrictions(JsonArray array) {
    return array == null ? null : array.stream().map(JsonObject.class::cast)
        .map(entry -> new MembershipRestriction(entry.getString("emailDomain"), blankAsNull(entry.getString("requiredIdp")))).toList();
  }

  private static EhrSettings ehr(JsonObject doc) {
    if (doc == null) {
      return null;
    }
    JsonObject codes = doc.getJsonObject("procedureCodes", new JsonObject());
    JsonObject destinations = doc.getJsonObject("destinationIds");
    JsonObject reports = doc.getJsonObject("scheduledReports", new JsonObject());
    JsonObject tags = doc.getJsonObject("tags", new JsonObject());
    JsonObject notes = doc.getJsonObject("notes");
    return new EhrSettings(doc.getBoolean("enabled", false), doc.getString("sourceId"), doc.getString("provider"),
        doc.getString("mrnIdType"),
        new EhrSettings.ProcedureCodes(codes.getString("enableSummaryReports"), codes.getString("disableSummaryReports"),
            codes.getString("createAccount"), codes.getString("createAccountAndEnableReports")),
        destinations == null ? null : new EhrSettings.Destinations(destinations.getString("flowsheet"),
            destinations.getString("results"), destinations.getString("notes")),
        new EhrSettings.ScheduledReports(reports.getBoolean("onUploadEnabled", false), reports.getString("onUploadNoteEventType"),
            reports.getString("cadence")),
        new EhrSettings.Tags(tags.getJsonArray("codes", new JsonArray()).stream().map(String::valueOf).toList(),
            blankAsNull(tags.getString("separator"))),
        doc.getJsonObject("flowsheets", new JsonObject()).getBoolean("icode", false),
        notes == null ? null : notes.getBoolean("includeGMI", false));
  }

  private static MrnSettings mrn(JsonObject doc) {
    return doc == null ? null : new MrnSettings(doc.getBoolean("required", false), doc.getBoolean("unique", false));
  }

  private static PatientCountSettings patientCountSettings(JsonObject doc) {
    return doc == null ? null : new PatientCountSettings(limit(doc.getJsonObject("hardLimit")), limit(doc.getJsonObject("softLimit")));
  }

  private static PatientCountLimit limit(JsonObject doc) {
    return doc == null ? null : new PatientCountLimit(number(doc.getValue("plan")),
        MongoJson.instant(doc.getValue("startDate")), MongoJson.instant(doc.getValue("endDate")));
  }

  private static PatientCount patientCount(JsonObject doc) {
    // upstream's legacy shape {patientCount: n} is no count of today's kind: counted again when read
    if (doc == null || !doc.containsKey("total")) {
      return null;
    }
    Map<String, PatientCount.ProviderCount> providers = null;
    JsonObject byProvider = doc.getJsonObject("providers");
    if (byProvider != null) {
      providers = new LinkedHashMap<>();
      for (String name : byProvider.fieldNames()) {
        JsonObject provider = byProvider.getJsonObject(name);
        Map<String, Integer> states = new LinkedHashMap<>();
        JsonObject stored = provider.getJsonObject("states", new JsonObject());
        stored.fieldNames().forEach(state -> states.put(state, number(stored.getValue(state))));
        providers.put(name, new PatientCount.ProviderCount(number(provider.getValue("total")), states));
      }
    }
    return new PatientCount(number(doc.getValue("total")), number(doc.getValue("demo")), number(doc.getValue("plan")), providers);
  }

  private static int number(Object value) {
    return value instanceof Number number ? number.intValue() : 0;
  }

  private static void putIfSet(JsonObject target, String field, String value) {
    if (value != null && !value.isEmpty()) {
      target.put(field, value);
    }
  }

  private static String blankAsNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
