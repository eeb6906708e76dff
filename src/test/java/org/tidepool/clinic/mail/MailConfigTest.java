package org.tidepool.clinic.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tidepool.clinic.mail.MailTestSupport.assertContains;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.StartTLSOptions;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.testing.PackagedDefaults;

class MailConfigTest {

  private static JsonObject valid() {
    return PackagedDefaults.with(new JsonObject()
        .put("SMTP_HOST", "smtp.example.org").put("SMTP_PORT", "587")
        .put("SMTP_USERNAME", "").put("SMTP_PASSWORD", "").put("SMTP_STARTTLS", "required")
        .put("SMTP_FROM", "Tidepool <noreply@tidepool.org>")
        .put("TIDEPOOL_WEBAPP_URL", "http://localhost:3000/").put("TIDEPOOL_ASSET_URL", "https://assets.example.org")
        .put("mongo", new JsonObject().put("connection_string", "mongodb://localhost").put("db_name", "clinic")));
  }

  @Test
  void readsTheSmtpSettings() {
    MailConfig config = MailConfig.from(new Settings(valid().put("SMTP_USERNAME", "user").put("SMTP_PASSWORD", "pw")));

    assertEquals(StartTLSOptions.REQUIRED, config.startTls());
    assertEquals("http://localhost:3000", config.webUrl());
    var client = config.clientConfig();
    assertEquals("smtp.example.org", client.getHostname());
    assertEquals(587, client.getPort());
    assertEquals(LoginOption.REQUIRED, client.getLogin());
    assertEquals("user", client.getUsername());
  }

  @Test
  void withoutAUsernameTheClientDoesNotLogIn() {
    assertEquals(LoginOption.DISABLED, MailConfig.from(new Settings(valid())).clientConfig().getLogin());
  }

  @Test
  void badSettingsAreRejectedNamingTheKey() {
    assertNamed("SMTP_STARTTLS", valid().put("SMTP_STARTTLS", "sometimes"));
    assertNamed("SMTP_PORT", valid().put("SMTP_PORT", "smtp"));
    assertNamed("SMTP_HOST", valid().put("SMTP_HOST", ""));
    assertNamed("SMTP_FROM", valid().put("SMTP_FROM", "Tidepool <not an address"));
    assertNamed("SMTP_PASSWORD", valid().put("SMTP_USERNAME", "user"));
    assertNamed("SMTP_TIMEOUT_MS", valid().put("SMTP_TIMEOUT_MS", "0"));
    assertNamed("SMTP_TIMEOUT_MS", valid().put("SMTP_TIMEOUT_MS", "soon"));
  }

  private static void assertNamed(String key, JsonObject config) {
    ConfigException failure = assertThrows(ConfigException.class, () -> MailConfig.from(new Settings(config)));
    assertContains(failure.getMessage(), key);
  }
}
