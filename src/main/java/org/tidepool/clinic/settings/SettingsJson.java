package org.tidepool.clinic.settings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.tidepool.clinic.clinics.ClinicSettings.EhrSettings;
import org.tidepool.clinic.clinics.ClinicSettingsDocuments;
import org.tidepool.clinic.clinics.ClinicSettings.MembershipRestriction;
import org.tidepool.clinic.clinics.ClinicSettings.MrnSettings;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCount;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCountLimit;
import org.tidepool.clinic.clinics.ClinicSettings.PatientCountSettings;
import org.tidepool.clinic.clinics.Tiers;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * The contract's settings JSON ({@code UpdateTier}, {@code UpdateSuppressedNotifications},
 * {@code membershipRestrictions.v1}, {@code ehrSettings.v1}, {@code mrnSettings.v1},
 * {@code patientCountSettings.v1}, {@code patientCount.v1}) ↔ the settings records. A malformed
 * field is a 400 naming it (the api validates against the contract first; the store checks again
 * for callers on the event bus).
 */
final class SettingsJson {
  static final Set<String> PROVIDERS = Set.of("redox", "xealth");
  static final Set<String> CADENCES = Set.of("1d", "7d", "14d", "30d", "DISABLED");
  static final Set<String> NOTE_EVENT_TYPES = Set.of("New", "Replace");
  /** An RFC 1123 host name, as the contract's {@code format: hostname}. */
  private static final Pattern HOSTNAME = Pattern.compile(
      "^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

  private SettingsJson() {}

  static String tier(JsonObject body) {
    String tier = requiredText(body, "", "tier");
    if (!Tiers.ALL.contains(tier)) {
      throw ServiceError.badRequest("tier must be one of " + Tiers.ALL + ", got '" + tier + "'");
    }
    return tier;
  }

  static Map<String, Object> suppressedNotifications(JsonObject body) {
    JsonObject suppressed = requiredObject(body, "", "suppressedNotifications");
    for (String field : suppressed.fieldNames()) {
      if (!field.equals("patientClinicInvitation")) {
        throw ServiceError.badRequest("suppressedNotifications." + field + " is not a notification that can be suppressed");
      }
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    Boolean invitation = optionalBoolean(suppressed, "suppressedNotifications.", "patientClinicInvitation");
    if (invitation != null) {
      kept.put("patientClinicInvitation", invitation);
    }
    return kept;
  }

  static List<MembershipRestriction> restrictions(JsonObject body) {
    Object value = body.getValue("restrictions");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ServiceError.badRequest("restrictions must be an array");
    }
    List<MembershipRestriction> restrictions = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "restrictions[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        throw ServiceError.badRequest("restrictions[" + i + "] must be an object");
      }
      String domain = requiredText(entry, at, "emailDomain");
      if (!HOSTNAME.matcher(domain).matches()) {
        throw ServiceError.badRequest(at + "emailDomain must be a host name, got '" + domain + "'");
      }
      String idp = optionalText(entry, at, "requiredIdp");
      restrictions.add(new MembershipRestriction(domain, idp == null || idp.isEmpty() ? null : idp));
    }
    return restrictions;
  }

  static JsonObject toJson(List<MembershipRestriction> restrictions) {
    JsonArray array = new JsonArray();
    for (MembershipRestriction restriction : restrictions == null ? List.<MembershipRestriction>of() : restrictions) {
      JsonObject entry = new JsonObject().put("emailDomain", restriction.emailDomain());
      if (restriction.requiredIdp() != null) {
        entry.put("requiredIdp", restriction.requiredIdp());
      }
      array.add(entry);
    }
    return new JsonObject().put("restrictions", array);
  }

  static EhrSettings ehr(JsonObject body) {
    boolean enabled = requiredBoolean(body, "", "enabled");
    String sourceId = requiredText(body, "", "sourceId");
    String provider = oneOf(requiredText(body, "", "provider"), "provider", PROVIDERS);
    String mrnIdType = requiredText(body, "", "mrnIdType");
    if (mrnIdType.isEmpty()) {
      throw ServiceError.badRequest("mrnIdType must not be empty");
    }
    JsonObject codes = requiredObject(body, "", "procedureCodes");
    EhrSettings.ProcedureCodes procedureCodes = new EhrSettings.ProcedureCodes(
        nonEmpty(codes, "procedureCodes.", "enableSummaryReports"), nonEmpty(codes, "procedureCodes.", "disableSummaryReports"),
        nonEmpty(codes, "procedureCodes.", "createAccount"), optionalText(codes, "procedureCodes.", "createAccountAndEnableReports"));
    EhrSettings.Destinations destinations = null;
    if (body.getValue("destinationIds") != null) {
      JsonObject ids = requiredObject(body, "", "destinationIds");
      destinations = new EhrSettings.Destinations(requiredNonEmpty(ids, "destinationIds.", "flowsheet"),
          requiredNonEmpty(ids, "destinationIds.", "results"), requiredNonEmpty(ids, "destinationIds.", "notes"));
    }
    JsonObject reports = requiredObject(body, "", "scheduledReports");
    String noteEventType = optionalText(reports, "scheduledReports.", "onUploadNoteEventType");
    if (noteEventType != null) {
      oneOf(noteEventType, "scheduledReports.onUploadNoteEventType", NOTE_EVENT_TYPES);
    }
    EhrSettings.ScheduledReports scheduledReports = new EhrSettings.ScheduledReports(
        requiredBoolean(reports, "scheduledReports.", "onUploadEnabled"), noteEventType,
        oneOf(requiredText(reports, "scheduledReports.", "cadence"), "scheduledReports.cadence", CADENCES));
    JsonObject tags = requiredObject(body, "", "tags");
    List<String> codesList = new ArrayList<>();
    Object tagCodes = tags.getValue("codes");
    if (tagCodes != null) {
      if (!(tagCodes instanceof JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
        throw ServiceError.badRequest("tags.codes must be an array of strings");
      }
      array.forEach(code -> codesList.add((String) code));
    }
    String separator = nonEmpty(tags, "tags.", "separator");
    boolean icode = requiredBoolean(requiredObject(body, "", "flowsheets"), "flowsheets.", "icode");
    Boolean includeGmi = null;
    if (body.getValue("notes") != null) {
      Boolean given = optionalBoolean(requiredObject(body, "", "notes"), "notes.", "includeGMI");
      includeGmi = given != null && given;
    }
    return new EhrSettings(enabled, sourceId, provider, mrnIdType, procedureCodes, destinations, scheduledReports,
        new EhrSettings.Tags(List.copyOf(codesList), separator), icode, includeGmi);
  }

  static JsonObject toJson(EhrSettings ehr) {
    EhrSettings.ProcedureCodes codes = ehr.procedureCodes();
    JsonObject procedureCodes = new JsonObject();
    putIfSet(procedureCodes, "enableSummaryReports", codes.enableSummaryReports());
    putIfSet(procedureCodes, "disableSummaryReports", codes.disableSummaryReports());
    putIfSet(procedureCodes, "createAccount", codes.createAccount());
    putIfSet(procedureCodes, "createAccountAndEnableReports", codes.createAccountAndEnableReports());
    JsonObject reports = new JsonObject().put("onUploadEnabled", ehr.scheduledReports().onUploadEnabled())
        .put("cadence", ehr.scheduledReports().effectiveCadence());
    putIfSet(reports, "onUploadNoteEventType", ehr.scheduledReports().onUploadNoteEventType());
    JsonObject tags = new JsonObject().put("codes", new JsonArray(ehr.tags().codes()));
    putIfSet(tags, "separator", ehr.tags().separator());
    JsonObject json = new JsonObject()
        .put("enabled", ehr.enabled())
        .put("sourceId", ehr.sourceId() == null ? "" : ehr.sourceId())
        .put("provider", ehr.provider())
        .put("mrnIdType", ehr.effectiveMrnIdType())
        .put("procedureCodes", procedureCodes)
        .put("scheduledReports", reports)
        .put("tags", tags)
        .put("flowsheets", new JsonObject().put("icode", ehr.flowsheetIcode()))
        .put("notes", new JsonObject().put("includeGMI", ehr.notesIncludeGmi() != null && ehr.notesIncludeGmi()));
    if (ehr.destinationIds() != null) {
      json.put("destinationIds", new JsonObject().put("flowsheet", ehr.destinationIds().flowsheet())
          .put("results", ehr.destinationIds().results()).put("notes", ehr.destinationIds().notes()));
    }
    return json;
  }

  static MrnSettings mrn(JsonObject body) {
    return new MrnSettings(requiredBoolean(body, "", "required"), requiredBoolean(body, "", "unique"));
  }

  static JsonObject toJson(MrnSettings mrn) {
    return new JsonObject().put("required", mrn.required()).put("unique", mrn.unique());
  }

  static PatientCountSettings patientCountSettings(JsonObject body) {
    PatientCountSettings settings = new PatientCountSettings(limit(body, "hardLimit"), limit(body, "softLimit"));
    String problem = settings.problem();
    if (problem != null) {
      throw ServiceError.badRequest(problem);
    }
    return settings;
  }

  static JsonObject toJson(PatientCountSettings settings) {
    JsonObject json = new JsonObject();
    if (settings.hardLimit() != null) {
      json.put("hardLimit", toJson(settings.hardLimit()));
    }
    if (settings.softLimit() != null) {
      json.put("softLimit", toJson(settings.softLimit()));
    }
    return json;
  }

  /** The contract's patientCount.v1 has the shape of the stored count (it holds no dates nor ids). */
  static JsonObject toJson(PatientCount count) {
    return ClinicSettingsDocuments.patientCountDocument(count);
  }

  private static JsonObject toJson(PatientCountLimit limit) {
    JsonObject json = new JsonObject().put("plan", limit.plan());
    if (limit.startDate() != null) {
      json.put("startDate", limit.startDate().toString());
    }
    if (limit.endDate() != null) {
      json.put("endDate", limit.endDate().toString());
    }
    return json;
  }

  private static PatientCountLimit limit(JsonObject body, String name) {
    if (body.getValue(name) == null) {
      return null;
    }
    JsonObject limit = requiredObject(body, "", name);
    if (!(limit.getValue("plan") instanceof Number plan) || plan.doubleValue() != Math.rint(plan.doubleValue())) {
      throw ServiceError.badRequest(name + ".plan must be an integer");
    }
    return new PatientCountLimit(plan.intValue(), date(limit, name, "startDate"), date(limit, name, "endDate"));
  }

  private static Instant date(JsonObject limit, String name, String field) {
    String text = optionalText(limit, name + ".", field);
    return text == null ? null : MongoJson.parseDateTime(name + "." + field, text);
  }

  private static String oneOf(String value, String name, Set<String> allowed) {
    if (!allowed.contains(value)) {
      throw ServiceError.badRequest(name + " must be one of " + allowed + ", got '" + value + "'");
    }
    return value;
  }

  private static JsonObject requiredObject(JsonObject body, String at, String field) {
    if (!(body.getValue(field) instanceof JsonObject object)) {
      throw ServiceError.badRequest(at + field + (body.getValue(field) == null ? " is required" : " must be an object"));
    }
    return object;
  }

  private static boolean requiredBoolean(JsonObject body, String at, String field) {
    Boolean value = optionalBoolean(body, at, field);
    if (value == null) {
      throw ServiceError.badRequest(at + field + " is required");
    }
    return value;
  }

  private static Boolean optionalBoolean(JsonObject body, String at, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw ServiceError.badRequest(at + field + " must be true or false");
    }
    return (Boolean) value;
  }

  private static String requiredText(JsonObject body, String at, String field) {
    String value = optionalText(body, at, field);
    if (value == null) {
      throw ServiceError.badRequest(at + field + " is required");
    }
    return value;
  }

  private static String requiredNonEmpty(JsonObject body, String at, String field) {
    String value = requiredText(body, at, field);
    if (value.isEmpty()) {
      throw ServiceError.badRequest(at + field + " must not be empty");
    }
    return value;
  }

  /** An optional text that, when given, is not empty (the contract's minLength 1). */
  private static String nonEmpty(JsonObject body, String at, String field) {
    String value = optionalText(body, at, field);
    if (value != null && value.isEmpty()) {
      throw ServiceError.badRequest(at + field + " must not be empty");
    }
    return value;
  }

  private static String optionalText(JsonObject body, String at, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw ServiceError.badRequest(at + field + " must be a string");
    }
    return (String) value;
  }

  private static void putIfSet(JsonObject target, String field, String value) {
    if (value != null && !value.isEmpty()) {
      target.put(field, value);
    }
  }
}
