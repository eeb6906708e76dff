package org.tidepool.clinic.clinicians;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tidepool.clinic.clinics.ClinicJson;
import org.tidepool.clinic.common.ServiceError;

/** Maps between the contract's {@code clinician.v1} JSON and {@link Clinician}: the API id is the user id, never {@code _id}. */
public final class ClinicianJson {
  private ClinicianJson() {}

  public static JsonObject toJson(Clinician clinician) {
    JsonObject json = new JsonObject();
    if (clinician.userId() != null) {
      json.put("id", clinician.userId());
    }
    if (clinician.inviteId() != null) {
      json.put("inviteId", clinician.inviteId());
    }
    // a service account has no email: our contract makes the field optional rather than answer an
    // empty string that is not an email (upstream answers "")
    if (clinician.email() != null) {
      json.put("email", clinician.email());
    }
    if (clinician.name() != null) {
      json.put("name", clinician.name());
    }
    json.put("roles", new JsonArray(clinician.roles().names()));
    json.put("createdTime", clinician.createdTime() == null ? null : clinician.createdTime().toString());
    json.put("updatedTime", clinician.updatedTime() == null ? null : clinician.updatedTime().toString());
    return json;
  }

  public static JsonArray toJson(List<Clinician> clinicians) {
    JsonArray json = new JsonArray();
    clinicians.forEach(clinician -> json.add(toJson(clinician)));
    return json;
  }

  /** {@code [{clinician, clinic}, ...]} */
  public static JsonArray membershipsToJson(List<ClinicMembership> memberships) {
    JsonArray json = new JsonArray();
    memberships.forEach(membership -> json.add(new JsonObject()
        .put("clinician", toJson(membership.clinician())).put("clinic", ClinicJson.toJson(membership.clinic()))));
    return json;
  }

  /** A request's roles: a non-empty array of distinct known roles, else 400 naming the problem. */
  public static Roles roles(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw ServiceError.badRequest("roles must be a non-empty array of " + Roles.ALL);
    }
    Set<String> roles = new LinkedHashSet<>();
    for (Object role : array) {
      if (!(role instanceof String name) || !Roles.ALL.contains(name)) {
        throw ServiceError.badRequest("unknown role '" + role + "'; roles are " + Roles.ALL);
      }
      if (!roles.add(name)) {
        throw ServiceError.badRequest("role " + name + " is listed twice");
      }
    }
    return new Roles(List.copyOf(roles));
  }

  /** A text field of a body, trimmed; null when absent or blank; 400 when not a string. */
  public static String optionalText(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ServiceError.badRequest(field + " must be a string");
    }
    return text.trim().isEmpty() ? null : text.trim();
  }

  public static String requiredText(JsonObject body, String field) {
    String value = optionalText(body, field);
    if (value == null) {
      throw ServiceError.badRequest(field + " is required");
    }
    return value;
  }
}
