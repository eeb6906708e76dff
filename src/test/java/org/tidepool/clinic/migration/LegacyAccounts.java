package org.tidepool.clinic.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.tidepool.clinic.testing.TestStack;

/**
 * A legacy "clinic" account with direct shares, written into the embedded platform database in
 * the embedded adapters' documents: accounts in {@code users} (a {@code clinic} role, a
 * profile), shares in {@code legacy_shares}.
 */
public record LegacyAccounts(String clinicianId, String clinicianEmail, String clinicianName, List<Patient> patients) {
  public static final String SHARES = "legacy_shares";

  /** A sharing patient; {@code email} null = an account without email; {@code gone} = the share outlived the account. */
  public record Patient(String id, String email, String fullName, String birthday, List<String> permissions, boolean gone) {}

  /** {@code count} patients with emails, ids {@code <prefix>00000}…; user ids are 10 hex digits as Tidepool's. */
  public static LegacyAccounts of(String prefix, int count) {
    List<Patient> patients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = prefix + String.format("%0" + (10 - prefix.length()) + "x", i + 1);
      patients.add(new Patient(id, "pat." + id + "@example.org", "Pat " + id, "2010-01-02", List.of("view", "upload", "note"), false));
    }
    String clinician = prefix + "f".repeat(10 - prefix.length());
    return new LegacyAccounts(clinician, "legacy." + clinician + "@example.org", "Dr. Legacy " + clinician, patients);
  }

  public LegacyAccounts with(Patient patient) {
    List<Patient> more = new ArrayList<>(patients);
    more.add(patient);
    return new LegacyAccounts(clinicianId, clinicianEmail, clinicianName, more);
  }

  public void importInto(MongoClient platformDb) {
    platformDb.save("users", new JsonObject().put("_id", clinicianId).put("email", clinicianEmail).put("username", clinicianEmail)
        .put("fullName", clinicianName).put("roles", new JsonArray().add("clinic"))
        .put("profile", new JsonObject().put("fullName", clinicianName))).await();
    List<JsonObject> shares = new ArrayList<>();
    for (Patient patient : patients) {
      if (!patient.gone()) {
        JsonObject account = new JsonObject().put("_id", patient.id())
            .put("profile", new JsonObject().put("fullName", patient.fullName())
                .put("patient", new JsonObject().put("birthday", patient.birthday())));
        if (patient.email() != null) {
          account.put("username", patient.email()).put("email", patient.email()).put("emails", new JsonArray().add(patient.email()));
        }
        platformDb.save("users", account).await();
      }
      JsonObject permissions = new JsonObject();
      patient.permissions().forEach(permission -> permissions.put(permission, new JsonObject()));
      shares.add(new JsonObject().put("_id", patient.id() + ":" + clinicianId).put("patientId", patient.id())
          .put("clinicianId", clinicianId).put("permissions", permissions));
    }
    for (JsonObject share : shares) {
      platformDb.save(SHARES, share).await();
    }
  }

  /**
   * The legacy clinician's new clinic as the product makes it: EnableNewClinicExperience (an empty
   * clinic, the account its only admin; a service's call), then its profile completed by that
   * admin; answers the clinic id.
   */
  public static String newClinicExperience(TestStack stack, String token, String clinicianId, String clinicName) {
    HttpResponse<Buffer> enabled = stack.http().post("/v1/clinicians/" + clinicianId + "/migrate")
        .bearerTokenAuthentication(stack.serverToken()).send().await();
    assertThat(enabled.statusCode()).as(enabled.bodyAsString()).isEqualTo(200);
    String clinicId = enabled.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> profiled = stack.http().put("/v1/clinics/" + clinicId).bearerTokenAuthentication(token)
        .sendJsonObject(clinicProfile(clinicName)).await();
    assertThat(profiled.statusCode()).as(profiled.bodyAsString()).isEqualTo(200);
    return clinicId;
  }

  /** A complete clinic profile (TriggerInitialMigration refuses an incomplete one). */
  public static JsonObject clinicProfile(String name) {
    return new JsonObject().put("name", name).put("preferredBgUnits", "mg/dL").put("address", "1 Main St").put("city", "Springfield")
        .put("state", "CA").put("postalCode", "90001").put("country", "US").put("clinicType", "provider_practice");
  }
}
