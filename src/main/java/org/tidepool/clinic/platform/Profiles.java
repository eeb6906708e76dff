package org.tidepool.clinic.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Reads seagull-style profiles ({@code fullName}, {@code patient.{fullName, birthday, mrn, targetDevices}}). */
final class Profiles {
  private Profiles() {}

  /** The patient's name is the profile's patient name, else the profile's name. */
  static PatientProfile patientProfile(String userId, String username, JsonObject profile) {
    JsonObject patient = profile == null ? null : profile.getValue("patient") instanceof JsonObject p ? p : null;
    String fullName = patient != null && text(patient, "fullName") != null ? text(patient, "fullName")
        : profile == null ? null : text(profile, "fullName");
    List<String> devices = patient != null && patient.getValue("targetDevices") instanceof JsonArray array
        ? array.stream().filter(String.class::isInstance).map(String.class::cast).toList() : null;
    return new PatientProfile(userId, username == null || username.isBlank() ? null : username, fullName,
        patient == null ? null : text(patient, "birthday"), patient == null ? null : text(patient, "mrn"), devices);
  }

  private static String text(JsonObject object, String field) {
    return object.getValue(field) instanceof String text && !text.isBlank() ? text : null;
  }
}
