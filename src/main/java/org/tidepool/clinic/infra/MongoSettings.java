package org.tidepool.clinic.infra;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.tidepool.clinic.config.Settings;

/** The MongoDB connection as upstream configures it through the {@code TIDEPOOL_STORE_*} variables. */
public final class MongoSettings {
  private MongoSettings() {}

  public static boolean configured(Settings settings) {
    return !settings.string("TIDEPOOL_STORE_ADDRESSES").isEmpty();
  }

  public static String connectionString(Settings settings) {
    StringBuilder uri = new StringBuilder(settings.required("TIDEPOOL_STORE_SCHEME")).append("://");
    String user = settings.string("TIDEPOOL_STORE_USERNAME");
    if (!user.isEmpty()) {
      uri.append(encode(user)).append(':').append(encode(settings.string("TIDEPOOL_STORE_PASSWORD"))).append('@');
    }
    uri.append(settings.required("TIDEPOOL_STORE_ADDRESSES")).append('/');
    String params = settings.string("TIDEPOOL_STORE_OPT_PARAMS");
    if (params.startsWith("?")) {
      params = params.substring(1);
    }
    if (settings.bool("TIDEPOOL_STORE_TLS")) {
      params = params.isEmpty() ? "tls=true" : params + "&tls=true";
    }
    if (!params.isEmpty()) {
      uri.append('?').append(params);
    }
    return uri.toString();
  }

  /**
   * The Vert.x MongoClient configuration for one database on that connection. A command the
   * server never answers (a half-open connection) fails after 20 s, below the event bus's 30 s,
   * so that no operation holds its clinic's lock for good.
   */
  public static JsonObject clientConfig(String connectionString, String database) {
    return new JsonObject().put("connection_string", connectionString).put("db_name", database)
        .put("socketTimeoutMS", SOCKET_TIMEOUT_MS);
  }

  static final int SOCKET_TIMEOUT_MS = 20_000;

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
