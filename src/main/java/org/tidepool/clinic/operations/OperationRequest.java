package org.tidepool.clinic.operations;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;

/**
 * The request envelope of an operation (docs/design.md): the authorised caller, the path and
 * query parameters, and the body, as the api sends it to the domain's address. Query values may
 * arrive typed or as text.
 */
public record OperationRequest(JsonObject raw) {
  public static final int DEFAULT_LIMIT = 10;

  public String callerId() {
    return raw.getJsonObject("caller", new JsonObject()).getString("userId");
  }

  public boolean callerIsServer() {
    return raw.getJsonObject("caller", new JsonObject()).getBoolean("server", false);
  }

  public String path(String name) {
    Object value = raw.getJsonObject("path", new JsonObject()).getValue(name);
    if (value == null || value.toString().isBlank()) {
      throw ServiceError.badRequest("path parameter " + name + " is required");
    }
    return value.toString();
  }

  public String pathObjectId(String name) {
    return MongoJson.requireObjectId(name, path(name));
  }

  /** A query parameter as text, or null when absent or empty. */
  public String query(String name) {
    Object value = raw.getJsonObject("query", new JsonObject()).getValue(name);
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  public Boolean queryBoolean(String name) {
    String text = query(name);
    if (text == null) {
      return null;
    }
    return switch (text.toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ServiceError.badRequest("query parameter " + name + " must be true or false, got '" + text + "'");
    };
  }

  public Page page() {
    int offset = queryInt("offset", 0);
    int limit = queryInt("limit", DEFAULT_LIMIT);
    if (offset < 0) {
      throw ServiceError.badRequest("query parameter offset must be 0 or more, got " + offset);
    }
    if (limit < 1) {
      throw ServiceError.badRequest("query parameter limit must be 1 or more, got " + limit);
    }
    return new Page(offset, limit);
  }

  /** A date-time query parameter, or null when absent; a 400 naming it when malformed. */
  public Instant queryDateTime(String name) {
    String text = query(name);
    return text == null ? null : MongoJson.parseDateTime(name, text);
  }

  public JsonObject body() {
    Object body = raw.getValue("body");
    if (body instanceof JsonObject object) {
      return object;
    }
    throw ServiceError.badRequest("a JSON object request body is required");
  }

  private int queryInt(String name, int fallback) {
    String text = query(name);
    if (text == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw ServiceError.badRequest("query parameter " + name + " must be an integer, got '" + text + "'");
    }
  }

}
