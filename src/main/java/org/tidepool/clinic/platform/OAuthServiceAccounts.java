package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.tidepool.clinic.common.ServiceError;

/**
 * Resolves a service account with a client-credentials grant (scope {@code openid}) at the
 * token endpoint: the account's user id is the {@code sub} of the returned {@code id_token}.
 * The id token comes straight from the endpoint over the back channel, so it is read without
 * verifying its signature. Every failure is the client's problem to fix (400/422), never a 500.
 */
public final class OAuthServiceAccounts implements ServiceAccounts {
  private final WebClient client;
  private final String tokenEndpoint;

  public OAuthServiceAccounts(WebClient client, String tokenEndpoint) {
    this.client = client;
    this.tokenEndpoint = tokenEndpoint;
  }

  @Override
  public Future<String> resolveUserId(String clientId, String clientSecret) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "client_credentials")
        .add("client_id", clientId)
        .add("client_secret", clientSecret)
        .add("scope", "openid");
    return client.postAbs(tokenEndpoint).sendForm(form)
        .recover(unreachable -> Future.failedFuture(ServiceError.unprocessable("the service account token endpoint is unreachable")))
        .compose(OAuthServiceAccounts::subjectOf);
  }

  private static Future<String> subjectOf(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 400 || status == 401 || status == 403) {
      return Future.failedFuture(ServiceError.badRequest("the token endpoint rejected the service account credentials"));
    }
    if (status != 200) {
      return Future.failedFuture(ServiceError.unprocessable("the service account token endpoint answered status " + status));
    }
    try {
      String idToken = response.bodyAsJsonObject().getString("id_token");
      String subject = claimsOf(idToken).getString("sub");
      if (subject == null || subject.isBlank()) {
        throw new IllegalArgumentException("no sub");
      }
      return Future.succeededFuture(subject);
    } catch (RuntimeException unusable) {
      return Future.failedFuture(ServiceError.unprocessable("the token endpoint returned no id_token with a subject"));
    }
  }

  private static JsonObject claimsOf(String idToken) {
    String[] parts = idToken.split("\\.");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a JWT");
    }
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }
}
