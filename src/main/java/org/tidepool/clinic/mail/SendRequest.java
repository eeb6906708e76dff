package org.tidepool.clinic.mail;

import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.common.ServiceError;

/** The body of a {@code send} action, checked: names the field that is missing or of the wrong type. */
record SendRequest(String template, String recipient, JsonObject variables, String dedupKey) {

  static SendRequest from(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw ServiceError.badRequest("the send request must be a JSON object");
    }
    String template = requiredString(json, "template");
    String recipient = requiredString(json, "recipient");
    Object variables = json.getValue("variables");
    if (variables != null && !(variables instanceof JsonObject)) {
      throw ServiceError.badRequest("variables must be a JSON object");
    }
    Object dedupKey = json.getValue("dedupKey");
    if (dedupKey != null && (!(dedupKey instanceof String key) || key.isBlank())) {
      throw ServiceError.badRequest("dedupKey must be a non-empty string when given");
    }
    return new SendRequest(template, recipient,
        variables == null ? new JsonObject() : (JsonObject) variables, (String) dedupKey);
  }

  private static String requiredString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw ServiceError.badRequest(field + " is required and must be a non-empty string");
    }
    return text.trim();
  }
}
