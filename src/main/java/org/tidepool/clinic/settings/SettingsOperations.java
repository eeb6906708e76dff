package org.tidepool.clinic.settings;

import org.tidepool.clinic.operations.ActionHandlers;

/** The settings operations of the catalogue: request envelope → {@link SettingsService} call → contract JSON. */
final class SettingsOperations {
  private final SettingsService settings;

  SettingsOperations(SettingsService settings) {
    this.settings = settings;
  }

  ActionHandlers handlers() {
    return new ActionHandlers()
        .operation("UpdateTier", request -> settings.updateTier(request.pathObjectId("clinicId"),
            SettingsJson.tier(request.body())).map(updated -> null))
        .operation("UpdateSuppressedNotifications", request -> settings.updateSuppressedNotifications(
            request.pathObjectId("clinicId"), SettingsJson.suppressedNotifications(request.body())).map(updated -> null))
        .operation("ListMembershipRestrictions", request -> settings.membershipRestrictions(request.pathObjectId("clinicId"))
            .map(SettingsJson::toJson))
        .operation("UpdateMembershipRestrictions", request -> settings.updateMembershipRestrictions(
            request.pathObjectId("clinicId"), SettingsJson.restrictions(request.body())).map(SettingsJson::toJson))
        .operation("GetEHRSettings", request -> settings.ehrSettings(request.pathObjectId("clinicId")).map(SettingsJson::toJson))
        .operation("UpdateEHRSettings", request -> settings.updateEhrSettings(request.pathObjectId("clinicId"),
            SettingsJson.ehr(request.body())).map(SettingsJson::toJson))
        .operation("GetMRNSettings", request -> settings.mrnSettings(request.pathObjectId("clinicId")).map(SettingsJson::toJson))
        .operation("UpdateMRNSettings", request -> settings.updateMrnSettings(request.pathObjectId("clinicId"),
            SettingsJson.mrn(request.body())).map(SettingsJson::toJson))
        .operation("GetPatientCountSettings", request -> settings.patientCountSettings(request.pathObjectId("clinicId"))
            .map(SettingsJson::toJson))
        .operation("UpdatePatientCountSettings", request -> settings.updatePatientCountSettings(request.pathObjectId("clinicId"),
            SettingsJson.patientCountSettings(request.body())).map(SettingsJson::toJson))
        .operation("GetPatientCount", request -> settings.patientCount(request.pathObjectId("clinicId")).map(SettingsJson::toJson));
  }
}
