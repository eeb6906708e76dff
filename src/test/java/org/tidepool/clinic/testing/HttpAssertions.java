package org.tidepool.clinic.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Assertions on what the service answers over HTTP. */
public final class HttpAssertions {
  private HttpAssertions() {}

  /** A JSON error body {@code {code, message}} with the status, whose message names the problem. */
  public static void assertError(HttpResponse<Buffer> response, int status, String messagePart) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("code")).isEqualTo(status);
    assertThat(body.getString("message")).containsIgnoringCase(messagePart);
  }
}
