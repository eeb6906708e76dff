package org.tidepool.clinic.migrations;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.tidepool.clinic.clinics.ClinicJson;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.OperationRequest;

/** The migration operations of the catalogue: request envelope → {@link MigrationService} call → contract JSON. */
final class MigrationOperations {
  private final MigrationService migrations;

  MigrationOperations(MigrationService migrations) {
    this.migrations = migrations;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("EnableNewClinicExperience", request -> migrations.enableNewClinicExperience(request.path("userId"))
            .map(ClinicJson::toJson))
        .operation("TriggerInitialMigration", request -> migrations.triggerInitialMigration(request.pathObjectId("clinicId"),
            attestationSubmitted(request)).map(MigrationOperations::toJson))
        .operation("MigrateLegacyClinicianPatients", request -> migrations.migrateLegacyClinician(request.pathObjectId("clinicId"),
            requiredText(request.body(), "userId")).map(MigrationOperations::toJson))
        .operation("ListMigrations", request -> migrations.list(request.pathObjectId("clinicId")).map(list -> {
          JsonArray array = new JsonArray();
          list.forEach(migration -> array.add(toJson(migration)));
          return array;
        }))
        .operation("GetMigration", request -> migrations.get(request.pathObjectId("clinicId"), request.path("userId"))
            .map(MigrationOperations::toJson))
        .operation("UpdateMigration", request -> migrations.update(request.pathObjectId("clinicId"), request.path("userId"),
            update(request.body())).map(MigrationOperations::toJson));
  }

  /** {@code migration.v1}. */
  static JsonObject toJson(Migration migration) {
    JsonObject json = new JsonObject()
        .put("userId", migration.userId())
        .put("status", migration.status().name())
        .put("createdTime", migration.createdTime().toString())
        .put("updatedTime", migration.updatedTime().toString());
    if (migration.attestationTime() != null) {
      json.put("attestationTime", migration.attestationTime().toString());
    }
    if (migration.progress() != null) {
      json.put("progress", new JsonObject()
          .put("patientsTotal", migration.progress().patientsTotal())
          .put("patientsMigrated", migration.progress().patientsMigrated())
          .put("patientsSkipped", migration.progress().patientsSkipped()));
    }
    if (migration.failureReason() != null) {
      json.put("failureReason", migration.failureReason());
    }
    return json;
  }

  /** {@code migrationUpdate.v1}. */
  static Migration.Update update(JsonObject body) {
    Migration.Status status = Migration.Status.parse(requiredText(body, "status"));
    Object progress = body.getValue("progress");
    if (progress != null && !(progress instanceof JsonObject)) {
      throw ServiceError.badRequest("progress must be an object");
    }
    Object reason = body.getValue("failureReason");
    if (reason != null && !(reason instanceof String)) {
      throw ServiceError.badRequest("failureReason must be a string");
    }
    return new Migration.Update(status, progress == null ? null : progress((JsonObject) progress), (String) reason);
  }

  private static Migration.Progress progress(JsonObject json) {
    return new Migration.Progress(count(json, "patientsTotal"), count(json, "patientsMigrated"), count(json, "patientsSkipped"));
  }

  private static long count(JsonObject json, String field) {
    if (!(json.getValue(field) instanceof Number number) || number.longValue() < 0 || number.doubleValue() != number.longValue()) {
      throw ServiceError.badRequest("progress." + field + " must be a whole number of 0 or more");
    }
    return number.longValue();
  }

  private static boolean attestationSubmitted(OperationRequest request) {
    Object body = request.raw().getValue("body");
    if (!(body instanceof JsonObject object) || object.getValue("attestationSubmitted") == null) {
      return false;
    }
    if (!(object.getValue("attestationSubmitted") instanceof Boolean attested)) {
      throw ServiceError.badRequest("attestationSubmitted must be true or false");
    }
    return attested;
  }

  private static String requiredText(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String text) || text.isBlank()) {
      throw ServiceError.badRequest(field + " is required");
    }
    return text;
  }
}
