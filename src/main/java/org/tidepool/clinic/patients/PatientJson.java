package org.tidepool.clinic.patients;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tidepool.clinic.clinics.ClinicJson;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;

/** Maps between the contract's {@code patient.v1} (and its parts) and {@link Patient} / {@link PatientDetails}. */
public final class PatientJson {
  private PatientJson() {}

  public static JsonObject toJson(Patient patient) {
    JsonObject json = new JsonObject().put("id", patient.userId());
    putIfNotNull(json, "email", patient.email());
    putIfNotNull(json, "fullName", patient.fullName());
    putIfNotNull(json, "birthDate", patient.birthDate());
    putIfNotNull(json, "mrn", patient.mrn());
    if (patient.tags() != null) {
      json.put("tags", new JsonArray(patient.tags()));
    }
    if (patient.targetDevices() != null) {
      json.put("targetDevices", new JsonArray(patient.targetDevices()));
    }
    if (patient.permissions() != null) {
      json.put("permissions", PatientDocuments.permissionsDocument(patient.permissions()));
    }
    json.put("createdTime", text(patient.createdTime())).put("updatedTime", text(patient.updatedTime()));
    putIfNotNull(json, "attestationSubmitted", patient.attestationSubmitted());
    if (patient.dataSources() != null) {
      json.put("dataSources", dataSourcesToJson(patient.dataSources()));
    }
    putIfNotNull(json, "lastUploadReminderTime", text(patient.lastUploadReminderTime()));
    putIfNotNull(json, "summary", patient.summary());
    if (patient.reviews() != null) {
      json.put("reviews", reviewsToJson(patient.reviews()));
    }
    JsonObject requests = new JsonObject();
    patient.connectionRequests().forEach((provider, list) -> {
      JsonArray entries = new JsonArray();
      list.forEach(request -> entries.add(new JsonObject().put("createdTime", text(request.createdTime()))
          .put("providerName", request.providerName())));
      requests.put(provider, entries);
    });
    json.put("connectionRequests", requests);
    if (patient.sites() != null) {
      JsonArray sites = new JsonArray();
      patient.sites().forEach(site -> sites.add(new JsonObject().put("id", site.id()).put("name", site.name())));
      json.put("sites", sites);
    }
    putIfNotNull(json, "glycemicRanges", patient.glycemicRanges());
    putIfNotNull(json, "diagnosisType", patient.diagnosisType());
    return json;
  }

  public static JsonArray reviewsToJson(List<Patient.Review> reviews) {
    JsonArray json = new JsonArray();
    reviews.forEach(review -> json.add(new JsonObject().put("clinicianId", review.clinicianId()).put("time", text(review.time()))));
    return json;
  }

  public static JsonObject permissionsToJson(Set<String> permissions) {
    return PatientDocuments.permissionsDocument(permissions);
  }

  /** {@code [{patient, clinic}, ...]} */
  public static JsonArray relationshipsToJson(List<PatientService.PatientOfClinic> records) {
    JsonArray json = new JsonArray();
    records.forEach(record -> json.add(new JsonObject()
        .put("patient", toJson(record.patient())).put("clinic", ClinicJson.toJson(record.clinic()))));
    return json;
  }

  /** The details of a create or update body (already checked against the contract's schema). */
  public static PatientDetails details(JsonObject body) {
    return new PatientDetails(text(body, "fullName"), text(body, "birthDate"), text(body, "email"), text(body, "mrn"),
        strings(body, "targetDevices"), strings(body, "tags"), siteIds(body), dataSources(body.getValue("dataSources")),
        body.getValue("glycemicRanges") instanceof JsonObject ranges ? ranges : null,
        body.getValue("diagnosisType") instanceof String type ? type : null,
        body.getValue("attestationSubmitted") instanceof Boolean attested ? attested : null);
  }

  /** The permissions named in a {@code patientPermissions.v1} object. */
  public static Set<String> permissions(JsonObject body) {
    for (String name : body.fieldNames()) {
      if (!Permissions.ALL.contains(name)) {
        throw ServiceError.badRequest("unknown permission '" + name + "'; permissions are " + Permissions.ALL);
      }
    }
    return Permissions.of(body.fieldNames());
  }

  /** A {@code dataSources.v1} array; null stays null (absent). */
  public static List<Patient.DataSource> dataSources(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw ServiceError.badRequest("dataSources must be an array");
    }
    List<Patient.DataSource> sources = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject source) || text(source, "providerName") == null || text(source, "state") == null) {
        throw ServiceError.badRequest("each of dataSources needs a providerName and a state");
      }
      String dataSourceId = text(source, "dataSourceId");
      if (dataSourceId != null) {
        MongoJson.requireObjectId("dataSources.dataSourceId", dataSourceId);
      }
      sources.add(new Patient.DataSource(dataSourceId, text(source, "providerName"), text(source, "state"),
          dateTime(source, "modifiedTime"), dateTime(source, "expirationTime"), dateTime(source, "latestDataTime")));
    }
    return sources;
  }

  private static JsonArray dataSourcesToJson(List<Patient.DataSource> sources) {
    JsonArray json = new JsonArray();
    for (Patient.DataSource source : sources) {
      JsonObject entry = new JsonObject().put("providerName", source.providerName()).put("state", source.state());
      putIfNotNull(entry, "dataSourceId", source.dataSourceId());
      putIfNotNull(entry, "modifiedTime", text(source.modifiedTime()));
      putIfNotNull(entry, "expirationTime", text(source.expirationTime()));
      putIfNotNull(entry, "latestDataTime", text(source.latestDataTime()));
      json.add(entry);
    }
    return json;
  }

  private static List<String> siteIds(JsonObject body) {
    if (!(body.getValue("sites") instanceof JsonArray sites)) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    for (Object site : sites) {
      if (!(site instanceof JsonObject object) || text(object, "id") == null) {
        throw ServiceError.badRequest("each of sites needs an id");
      }
      ids.add(MongoJson.requireObjectId("sites.id", text(object, "id")));
    }
    return ids;
  }

  private static Instant dateTime(JsonObject object, String field) {
    String value = text(object, field);
    return value == null ? null : MongoJson.parseDateTime("dataSources." + field, value);
  }

  private static List<String> strings(JsonObject body, String field) {
    return body.getValue(field) instanceof JsonArray array ? array.stream().map(String::valueOf).toList() : null;
  }

  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String text && !text.isEmpty() ? text : null;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static void putIfNotNull(JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
