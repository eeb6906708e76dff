package org.tidepool.clinic.clinicians;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.mongo.MongoJson;

/** Maps {@code clinicians} documents to {@code clinician.v1}: the API id is the user id, never {@code _id}. */
public final class ClinicianDocuments {
  private ClinicianDocuments() {}

  public static JsonObject toApi(JsonObject doc) {
    JsonObject clinician = new JsonObject();
    if (doc.getString("userId") != null) {
      clinician.put("id", doc.getString("userId"));
    }
    if (doc.getString("inviteId") != null) {
      clinician.put("inviteId", doc.getString("inviteId"));
    }
    // a service account has no email: our contract makes the field optional rather than answer an
    // empty string that is not an email (upstream answers "")
    if (doc.getString("email") != null) {
      clinician.put("email", doc.getString("email"));
    }
    if (doc.getString("name") != null) {
      clinician.put("name", doc.getString("name"));
    }
    clinician.put("roles", doc.getJsonArray("roles", new JsonArray()));
    clinician.put("createdTime", MongoJson.dateText(doc.getValue("createdTime")));
    clinician.put("updatedTime", MongoJson.dateText(doc.getValue("updatedTime")));
    return clinician;
  }
}
