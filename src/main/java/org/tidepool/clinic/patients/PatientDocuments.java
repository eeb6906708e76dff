package org.tidepool.clinic.patients;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.NameOrder;
import org.tidepool.clinic.mongo.Revision;

/** Maps between {@link Patient} and the {@code patients} documents (upstream's shapes, §3.2). */
public final class PatientDocuments {
  /** The providers of connection requests, as the API lists them. */
  static final List<String> PROVIDERS = List.of("twiist", "dexcom", "abbott");

  /** The statistics of a summary and the date fields of their {@code dates} (summaryDates.v1). */
  public static final List<String> SUMMARY_TYPES = List.of("cgmStats", "bgmStats");
  static final List<String> SUMMARY_DATES = List.of("lastUpdatedDate", "firstData", "lastData", "lastUploadDate", "outdatedSince",
      "outdatedSinceLimit");

  private PatientDocuments() {}

  public static Patient fromDocument(JsonObject doc) {
    if (doc == null) {
      return null;
    }
    JsonObject permissions = doc.getJsonObject("permissions");
    return new Patient(MongoJson.hex(doc.getValue("_id")), MongoJson.hex(doc.getValue("clinicId")), doc.getString("userId"),
        text(doc, "email"), text(doc, "fullName"), text(doc, "birthDate"), text(doc, "mrn"), strings(doc.getValue("targetDevices")),
        tags(doc.getValue("tags")), sites(doc.getValue("sites")), dataSources(doc.getValue("dataSources")),
        permissions == null ? null : Permissions.of(permissions.fieldNames()), reviews(doc.getValue("reviews")),
        connectionRequests(doc), MongoJson.instant(doc.getValue("lastUploadReminderTime")),
        doc.getValue("glycemicRanges") instanceof JsonObject ranges ? ranges : null, text(doc, "diagnosisType"),
        doc.getValue("summary") instanceof JsonObject summary ? summaryJson(summary) : null, text(doc, "invitedBy"),
        doc.getBoolean("requireUniqueMrn", false), doc.getBoolean("isMigrated", false), strings(doc.getValue("legacyClinicianIds")),
        doc.getValue("attestationSubmitted") instanceof Boolean attested ? attested : null,
        MongoJson.instant(doc.getValue("createdTime")), MongoJson.instant(doc.getValue("updatedTime")), Revision.of(doc));
  }

  static JsonObject newDocument(Patient patient) {
    JsonObject doc = new JsonObject()
        .put("_id", MongoJson.oid(patient.id()))
        .put("clinicId", MongoJson.oid(patient.clinicId()))
        .put("userId", patient.userId());
    putIfNotNull(doc, "email", lowerCase(patient.email()));
    putIfNotNull(doc, "fullName", patient.fullName());
    putIfNotNull(doc, NameOrder.FULL_NAME_KEY, NameOrder.key(patient.fullName()));
    putIfNotNull(doc, "birthDate", patient.birthDate());
    putIfNotNull(doc, "mrn", patient.mrn());
    if (patient.targetDevices() != null) {
      doc.put("targetDevices", new JsonArray(patient.targetDevices()));
    }
    if (patient.tags() != null) {
      doc.put("tags", tagsDocument(patient.tags()));
    }
    if (patient.sites() != null) {
      doc.put("sites", sitesDocument(patient.sites()));
    }
    if (patient.dataSources() != null) {
      doc.put("dataSources", dataSourcesDocument(patient.dataSources()));
    }
    if (patient.permissions() != null) {
      doc.put("permissions", permissionsDocument(patient.permissions()));
    }
    putIfNotNull(doc, "glycemicRanges", patient.glycemicRanges());
    if (patient.diagnosisType() != null && !patient.diagnosisType().isEmpty()) {
      doc.put("diagnosisType", patient.diagnosisType());
    }
    putIfNotNull(doc, "invitedBy", patient.invitedBy());
    if (patient.requireUniqueMrn()) {
      doc.put("requireUniqueMrn", true);
    }
    doc.put("isMigrated", patient.migrated());
    if (patient.legacyClinicianIds() != null) {
      doc.put("legacyClinicianIds", new JsonArray(patient.legacyClinicianIds()));
    }
    putIfNotNull(doc, "attestationSubmitted", patient.attestationSubmitted());
    return doc.put("createdTime", MongoJson.date(patient.createdTime())).put("updatedTime", MongoJson.date(patient.updatedTime()));
  }

  /**
   * The PUT of rule 19 on {@code current}: {@code $set}/{@code $unset} of the replaced fields,
   * the optional ones when given; never summary, permissions or reviews. An email change
   * forgets who invited the patient; an MRN change deactivates the EHR subscriptions (rule 17).
   */
  static JsonObject update(Patient current, PatientDetails details, List<Patient.Site> sites, boolean requireUniqueMrn,
                           JsonObject ehrSubscriptions) {
    JsonObject set = new JsonObject().put("fullName", details.fullName()).put(NameOrder.FULL_NAME_KEY, NameOrder.key(details.fullName()))
        .put("birthDate", details.birthDate());
    JsonObject unset = new JsonObject();
    setOrUnset(set, unset, "email", lowerCase(details.email()));
    setOrUnset(set, unset, "mrn", details.mrn());
    setOrUnset(set, unset, "targetDevices", details.targetDevices() == null ? null : new JsonArray(details.targetDevices()));
    if (requireUniqueMrn) {
      set.put("requireUniqueMrn", true);
    } else {
      unset.put("requireUniqueMrn", "");
    }
    if (details.tags() != null) {
      set.put("tags", tagsDocument(details.tags()));
    }
    if (sites != null) {
      set.put("sites", sitesDocument(sites));
    }
    if (details.dataSources() != null) {
      set.put("dataSources", dataSourcesDocument(details.dataSources()));
    }
    if (details.glycemicRanges() != null) {
      set.put("glycemicRanges", details.glycemicRanges());
    }
    if (details.diagnosisType() != null) {
      setOrUnset(set, unset, "diagnosisType", details.diagnosisType().isEmpty() ? null : details.diagnosisType());
    }
    if (details.attestationSubmitted() != null) {
      set.put("attestationSubmitted", details.attestationSubmitted());
    }
    if (!Objects.equals(lowerCase(current.email()), lowerCase(details.email())) && current.invitedBy() != null) {
      unset.put("invitedBy", "");
    }
    if (!Objects.equals(current.mrn(), details.mrn()) && ehrSubscriptions != null) {
      JsonObject inactive = new JsonObject();
      ehrSubscriptions.forEach(entry -> inactive.put(entry.getKey(), entry.getValue() instanceof JsonObject subscription
          ? subscription.copy().put("active", false) : entry.getValue()));
      set.put("ehrSubscriptions", inactive);
    }
    JsonObject update = new JsonObject().put("$set", set);
    return unset.isEmpty() ? update : update.put("$unset", unset);
  }

  /**
   * A {@code patientSummary.v1} as stored: its dates as BSON dates (so that ranges and the TIDE
   * cutoff compare dates), everything else as the platform sent it.
   */
  /** The record's EHR subscriptions by name (none: empty). */
  static Map<String, EhrSubscriptions.Subscription> ehrSubscriptions(JsonObject doc) {
    Map<String, EhrSubscriptions.Subscription> subscriptions = new LinkedHashMap<>();
    if (doc.getValue("ehrSubscriptions") instanceof JsonObject stored) {
      stored.forEach(entry -> {
        if (entry.getValue() instanceof JsonObject subscription) {
          List<EhrSubscriptions.MatchedMessage> messages = new ArrayList<>();
          for (Object item : subscription.getJsonArray("matchedMessages", new JsonArray())) {
            if (item instanceof JsonObject message) {
              messages.add(new EhrSubscriptions.MatchedMessage(MongoJson.hex(message.getValue("id")), message.getString("dataModel"),
                  message.getString("eventType")));
            }
          }
          subscriptions.put(entry.getKey(), new EhrSubscriptions.Subscription(subscription.getBoolean("active", false),
              subscription.getString("provider"), messages, MongoJson.instant(subscription.getValue("createdAt")),
              MongoJson.instant(subscription.getValue("updatedAt"))));
        }
      });
    }
    return subscriptions;
  }

  /** Upstream's shape: {active, provider, matchedMessages: [{id, dataModel, eventType}], createdAt, updatedAt}. */
  static JsonObject ehrSubscriptionDocument(EhrSubscriptions.Subscription subscription) {
    JsonArray messages = new JsonArray();
    subscription.matchedMessages().forEach(message -> messages.add(new JsonObject()
        .put("id", MongoJson.isObjectId(message.id()) ? MongoJson.oid(message.id()) : message.id())
        .put("dataModel", message.dataModel()).put("eventType", message.eventType())));
    JsonObject doc = new JsonObject().put("active", subscription.active()).put("provider", subscription.provider())
        .put("matchedMessages", messages);
    putDate(doc, "createdAt", subscription.createdAt());
    putDate(doc, "updatedAt", subscription.updatedAt());
    return doc;
  }

  static JsonObject summaryDocument(JsonObject summary) {
    return convertSummaryDates(summary, MongoJson::date);
  }

  private static JsonObject summaryJson(JsonObject stored) {
    return convertSummaryDates(stored, date -> MongoJson.dateText(date));
  }

  /**
   * The summary with its dates converted. Only the path to each {@code dates} object is copied: the
   * periods (most of a summary's size) are shared with {@code summary}, and nothing writes into them.
   */
  private static JsonObject convertSummaryDates(JsonObject summary, java.util.function.Function<Instant, Object> convert) {
    JsonObject converted = shallowCopy(summary);
    for (String stats : SUMMARY_TYPES) {
      if (converted.getValue(stats) instanceof JsonObject statistics && statistics.getValue("dates") instanceof JsonObject dates) {
        JsonObject convertedDates = shallowCopy(dates);
        for (String field : SUMMARY_DATES) {
          Instant instant = dates.getValue(field) == null ? null : MongoJson.instant(dates.getValue(field));
          if (instant != null) {
            convertedDates.put(field, convert.apply(instant));
          }
        }
        converted.put(stats, shallowCopy(statistics).put("dates", convertedDates));
      }
    }
    return converted;
  }

  private static JsonObject shallowCopy(JsonObject object) {
    return new JsonObject(new java.util.LinkedHashMap<>(object.getMap()));
  }

  static JsonObject permissionsDocument(Iterable<String> permissions) {
    JsonObject doc = new JsonObject();
    permissions.forEach(permission -> doc.put(permission, new JsonObject()));
    return doc;
  }

  static JsonArray reviewsDocument(List<Patient.Review> reviews) {
    JsonArray doc = new JsonArray();
    reviews.forEach(review -> doc.add(new JsonObject().put("clinicianId", review.clinicianId()).put("time", MongoJson.date(review.time()))));
    return doc;
  }

  static JsonArray connectionRequestsDocument(List<Patient.ConnectionRequest> requests) {
    JsonArray doc = new JsonArray();
    requests.forEach(request -> doc.add(new JsonObject().put("providerName", request.providerName())
        .put("createdTime", MongoJson.date(request.createdTime()))));
    return doc;
  }

  static JsonArray dataSourcesDocument(List<Patient.DataSource> sources) {
    JsonArray doc = new JsonArray();
    for (Patient.DataSource source : sources) {
      JsonObject entry = new JsonObject();
      if (source.dataSourceId() != null) {
        entry.put("dataSourceId", MongoJson.oid(source.dataSourceId()));
      }
      entry.put("providerName", source.providerName()).put("state", source.state());
      putDate(entry, "modifiedTime", source.modifiedTime());
      putDate(entry, "expirationTime", source.expirationTime());
      putDate(entry, "latestDataTime", source.latestDataTime());
      doc.add(entry);
    }
    return doc;
  }

  private static JsonArray tagsDocument(List<String> tags) {
    JsonArray doc = new JsonArray();
    tags.forEach(tag -> doc.add(MongoJson.oid(tag)));
    return doc;
  }

  static JsonArray sitesDocument(List<Patient.Site> sites) {
    JsonArray doc = new JsonArray();
    sites.forEach(site -> doc.add(new JsonObject().put("id", MongoJson.oid(site.id())).put("name", site.name())));
    return doc;
  }

  private static List<String> tags(Object value) {
    return value instanceof JsonArray array ? array.stream().map(MongoJson::hex).toList() : null;
  }

  private static List<Patient.Site> sites(Object value) {
    return value instanceof JsonArray array ? array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .map(site -> new Patient.Site(MongoJson.hex(site.getValue("id")), site.getString("name"))).toList() : null;
  }

  private static List<Patient.DataSource> dataSources(Object value) {
    return value instanceof JsonArray array ? array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .map(source -> new Patient.DataSource(MongoJson.hex(source.getValue("dataSourceId")), source.getString("providerName"),
            source.getString("state"), MongoJson.instant(source.getValue("modifiedTime")),
            MongoJson.instant(source.getValue("expirationTime")), MongoJson.instant(source.getValue("latestDataTime")))).toList()
        : null;
  }

  private static List<Patient.Review> reviews(Object value) {
    return value instanceof JsonArray array ? array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .map(review -> new Patient.Review(review.getString("clinicianId"), MongoJson.instant(review.getValue("time")))).toList()
        : null;
  }

  /** Per provider, newest first; the deprecated {@code lastRequestedDexcomConnectTime} stands in for an empty dexcom list. */
  private static Map<String, List<Patient.ConnectionRequest>> connectionRequests(JsonObject doc) {
    JsonObject stored = doc.getJsonObject("providerConnectionRequests", new JsonObject());
    Map<String, List<Patient.ConnectionRequest>> requests = new LinkedHashMap<>();
    for (String provider : PROVIDERS) {
      List<Patient.ConnectionRequest> list = new ArrayList<>();
      if (stored.getValue(provider) instanceof JsonArray array) {
        array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).forEach(request -> list.add(
            new Patient.ConnectionRequest(request.getString("providerName", provider), MongoJson.instant(request.getValue("createdTime")))));
      }
      Instant legacy = MongoJson.instant(doc.getValue("lastRequestedDexcomConnectTime"));
      if ("dexcom".equals(provider) && list.isEmpty() && legacy != null) {
        list.add(new Patient.ConnectionRequest(provider, legacy));
      }
      requests.put(provider, List.copyOf(list));
    }
    return requests;
  }

  private static List<String> strings(Object value) {
    return value instanceof JsonArray array ? array.stream().map(String::valueOf).toList() : null;
  }

  private static String text(JsonObject doc, String field) {
    return doc.getValue(field) instanceof String text ? text : null;
  }

  private static String lowerCase(String email) {
    return email == null ? null : email.toLowerCase(Locale.ROOT);
  }

  private static void putIfNotNull(JsonObject doc, String field, Object value) {
    if (value != null) {
      doc.put(field, value);
    }
  }

  private static void putDate(JsonObject doc, String field, Instant value) {
    if (value != null) {
      doc.put(field, MongoJson.date(value));
    }
  }

  private static void setOrUnset(JsonObject set, JsonObject unset, String field, Object value) {
    if (value == null) {
      unset.put(field, "");
    } else {
      set.put(field, value);
    }
  }
}
