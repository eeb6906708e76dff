package org.tidepool.clinic.patientgroups;

import io.vertx.core.json.JsonArray;
import java.util.List;
import org.tidepool.clinic.clinics.ClinicJson;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.OperationRequest;

/** The tag and site operations of the catalogue: request envelope → {@link TagService} / {@link SiteService} call → contract JSON. */
final class PatientGroupOperations {
  private final TagService tags;
  private final SiteService sites;

  PatientGroupOperations(TagService tags, SiteService sites) {
    this.tags = tags;
    this.sites = sites;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("CreatePatientTag", request -> tags.create(clinicId(request), name(request)).map(ClinicJson::tagToJson))
        .operation("UpdatePatientTag", request -> tags.rename(clinicId(request), tagId(request), name(request)).map(ClinicJson::tagToJson))
        .operation("DeletePatientTag", request -> tags.delete(clinicId(request), tagId(request)))
        .operation("AssignPatientTagToClinicPatients", request -> tags.assign(clinicId(request), tagId(request), userIds(request)))
        .operation("DeletePatientTagFromClinicPatients", request -> tags.unassign(clinicId(request), tagId(request), userIds(request)))
        .operation("ConvertPatientTagToSite", request -> sites.convertTag(clinicId(request), tagId(request)).map(ClinicJson::siteToJson))
        .operation("CreateSite", request -> sites.create(clinicId(request), name(request)).map(ClinicJson::siteToJson))
        .operation("UpdateSite", request -> sites.rename(clinicId(request), siteId(request), name(request)).map(ClinicJson::siteToJson))
        .operation("DeleteSite", request -> sites.delete(clinicId(request), siteId(request)))
        .operation("MergeSite", request -> sites.merge(clinicId(request), siteId(request), sourceSiteId(request)).map(ClinicJson::siteToJson));
  }

  private static String name(OperationRequest request) {
    if (!(request.body().getValue("name") instanceof String name)) {
      throw ServiceError.badRequest("name must be a string");
    }
    return name;
  }

  private static String sourceSiteId(OperationRequest request) {
    if (!(request.body().getValue("id") instanceof String id)) {
      throw ServiceError.badRequest("id must be a string");
    }
    return org.tidepool.clinic.mongo.MongoJson.requireObjectId("id", id);
  }

  /** The patients a bulk (un)assignment targets: the listed user ids, or all of the clinic's (null: no body, or null). */
  private static List<String> userIds(OperationRequest request) {
    Object body = request.raw().getValue("body");
    if (body == null) {
      return null;
    }
    if (!(body instanceof JsonArray ids) || ids.stream().anyMatch(id -> !(id instanceof String))) {
      throw ServiceError.badRequest("the body must be an array of user ids, or none");
    }
    return ids.stream().map(String.class::cast).distinct().toList();
  }

  private static String clinicId(OperationRequest request) {
    return request.pathObjectId("clinicId");
  }

  private static String tagId(OperationRequest request) {
    return request.pathObjectId("patientTagId");
  }

  private static String siteId(OperationRequest request) {
    return request.pathObjectId("siteId");
  }
}
