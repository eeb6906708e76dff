package org.tidepool.clinic.patientlist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.OperationRequest;
import org.tidepool.clinic.patients.PatientJson;

/** ListPatients and TideReport: request envelope → {@link PatientList} / {@link TideReport} → contract JSON. */
final class PatientListOperations {
  private final PatientList list;
  private final TideReport tide;

  PatientListOperations(PatientList list, TideReport tide) {
    this.list = list;
    this.tide = tide;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("ListPatients", this::listPatients)
        .operation("TideReport", this::tideReport);
  }

  private Future<JsonObject> listPatients(OperationRequest request) {
    JsonObject query = request.raw().getJsonObject("query", new JsonObject());
    return list.list(request.pathObjectId("clinicId"), query, request.page()).map(result -> {
      JsonArray data = new JsonArray();
      result.patients().forEach(patient -> data.add(PatientJson.toJson(patient)));
      return new JsonObject().put("data", data)
          .put("meta", new JsonObject().put("count", result.count()).put("totalCount", result.totalCount()));
    });
  }

  private Future<JsonObject> tideReport(OperationRequest request) {
    String period = request.query("period");
    Instant cutoff = request.queryDateTime("lastDataCutoff");
    List<String> tags = ids(request, "tags");
    if (period == null || cutoff == null || tags.isEmpty()) {
      throw ServiceError.badRequest("query parameters period, tags and lastDataCutoff are required");
    }
    List<String> categories = values(request, "categories");
    categories.stream().filter(category -> !TideCategory.ALL.containsKey(category)).findFirst().ifPresent(unknown -> {
      throw ServiceError.badRequest("query parameter categories names an unknown category '" + unknown + "'");
    });
    TideReport.Request report = new TideReport.Request(request.pathObjectId("clinicId"), period, tags, ids(request, "sites"), cutoff,
        categories.stream().distinct().toList(), Boolean.TRUE.equals(request.queryBoolean("excludeNoData")));
    return tide.report(report, Instant.now());
  }

  private static List<String> ids(OperationRequest request, String name) {
    List<String> ids = values(request, name);
    ids.forEach(id -> MongoJson.requireObjectId(name, id));
    return ids;
  }

  private static List<String> values(OperationRequest request, String name) {
    Object value = request.raw().getJsonObject("query", new JsonObject()).getValue(name);
    List<String> values = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> values.add(String.valueOf(item).trim()));
    } else if (value != null) {
      for (String part : value.toString().split(",")) {
        values.add(part.trim());
      }
    }
    values.removeIf(String::isEmpty);
    return values;
  }
}
