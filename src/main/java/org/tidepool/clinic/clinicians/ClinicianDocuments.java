package org.tidepool.clinic.clinicians;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Revision;

/** Maps between {@link Clinician} and the {@code clinicians} documents (upstream's shapes). */
public final class ClinicianDocuments {
  private ClinicianDocuments() {}

  public static Clinician fromDocument(JsonObject doc) {
    if (doc == null) {
      return null;
    }
    Roles roles = rolesOf(doc);
    return new Clinician(MongoJson.hex(doc.getValue("_id")), MongoJson.hex(doc.getValue("clinicId")),
        doc.getString("userId"), doc.getString("inviteId"), doc.getString("email"), doc.getString("name"), roles,
        doc.getBoolean("isServiceAccount", false),
        MongoJson.instant(doc.getValue("createdTime")), MongoJson.instant(doc.getValue("updatedTime")), Revision.of(doc));
  }

  /** The document of a new record. */
  public static JsonObject newDocument(Clinician clinician) {
    JsonObject doc = new JsonObject()
        .put("_id", MongoJson.oid(clinician.id()))
        .put("clinicId", MongoJson.oid(clinician.clinicId()))
        .put("roles", new JsonArray(clinician.roles().names()))
        .put("createdTime", MongoJson.date(clinician.createdTime()))
        .put("updatedTime", MongoJson.date(clinician.updatedTime()));
    putIfPresent(doc, "userId", clinician.userId());
    putIfPresent(doc, "inviteId", clinician.inviteId());
    putIfPresent(doc, "email", clinician.email());
    putIfPresent(doc, "name", clinician.name());
    if (clinician.serviceAccount()) {
      doc.put("isServiceAccount", true);
    }
    return doc;
  }

  private static void putIfPresent(JsonObject target, String field, String value) {
    if (value != null) {
      target.put(field, value);
    }
  }

  /** The roles of a clinician document (or of its projection on {@code roles}). */
  public static Roles rolesOf(JsonObject doc) {
    return new Roles(doc.getJsonArray("roles", new JsonArray()).stream().map(String::valueOf).toList());
  }
}
