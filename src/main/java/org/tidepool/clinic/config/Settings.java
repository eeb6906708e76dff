package org.tidepool.clinic.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * Typed, validated reads of the merged configuration (file defaults overridden by environment).
 * A bad value fails with a {@link ConfigException} that names the setting.
 */
public record Settings(JsonObject raw) {

  public String string(String key) {
    Object value = raw.getValue(key);
    return value == null ? "" : String.valueOf(value).trim();
  }

  public String required(String key) {
    String value = string(key);
    if (value.isEmpty()) {
      throw new ConfigException(key + " is required but not set");
    }
    return value;
  }

  public int integer(String key) {
    String value = required(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, got '" + value + "'");
    }
  }

  public int port(String key) {
    int port = integer(key);
    if (port < 0 || port > 65535) {
      throw new ConfigException(key + " must be a port number (0-65535), got " + port);
    }
    return port;
  }

  public boolean bool(String key) {
    String value = string(key).toLowerCase();
    return switch (value) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no", "" -> false;
      default -> throw new ConfigException(key + " must be true or false, got '" + value + "'");
    };
  }

  public List<String> list(String key) {
    String value = string(key);
    return value.isEmpty() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public <E extends Enum<E>> E oneOf(String key, Class<E> type) {
    String value = required(key);
    try {
      return Enum.valueOf(type, value.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", got '" + value + "'");
    }
  }
}
