package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import org.tidepool.clinic.mail.MailRequests;

/**
 * A clinician whose roles changed: mails {@code clinician_permissions_updated} to them, naming
 * the member who made the last change.
 */
public final class ClinicianPermissionsMail implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(ClinicianPermissionsMail.class);
  static final String TEMPLATE = "clinician_permissions_updated";
  static final String DEFAULT_UPDATER_NAME = "Clinic administrator";
  private static final String ROLES_UPDATES = "rolesUpdates";

  private final ClinicianNotices notices;
  private final MailRequests mail;

  public ClinicianPermissionsMail(ClinicianNotices notices, MailRequests mail) {
    this.notices = notices;
    this.mail = mail;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonDocument clinician = event.fullDocument();
    if (!event.is(ChangeEvent.UPDATE) || clinician == null || !rolesChanged(event.updatedFields())) {
      return Future.succeededFuture();
    }
    String clinicId = idText(clinician.get("clinicId"));
    String userId = event.fullDocumentString("userId");
    if (clinicId == null || userId == null || userId.isEmpty()) {
      return Future.succeededFuture(); // an invite: nobody to mail yet
    }
    String updatedBy = lastUpdater(event.updatedFields(), clinician);
    return notices.find(clinicId, userId).compose(recipient -> {
      if (recipient == null) {
        return Future.succeededFuture();
      }
      String email = recipient.clinicianEmail() != null ? recipient.clinicianEmail() : event.fullDocumentString("email");
      if (email == null || email.isBlank()) {
        log.info("roles of {} in clinic {} changed, but there is no email to notify", userId, clinicId);
        return Future.succeededFuture();
      }
      return updaterName(clinicId, updatedBy).compose(updaterName -> mail.send(TEMPLATE, email,
          new JsonObject().put("ClinicName", recipient.clinicName()).put("ClinicianName", updaterName), event.id()));
    });
  }

  /**
   * The whole array rewritten (and not emptied, as upstream requires), or an element appended
   * (reported as {@code rolesUpdates.<n>}).
   */
  public static boolean rolesChanged(BsonDocument updatedFields) {
    return updatedFields.keySet().stream().anyMatch(key -> key.equals(ROLES_UPDATES)
        ? updatedFields.isArray(key) && !updatedFields.getArray(key).isEmpty()
        : key.startsWith(ROLES_UPDATES + "."));
  }

  private Future<String> updaterName(String clinicId, String updatedBy) {
    if (updatedBy == null || updatedBy.isEmpty()) {
      return Future.succeededFuture(DEFAULT_UPDATER_NAME);
    }
    return notices.find(clinicId, updatedBy).map(updater ->
        updater == null || updater.clinicianName() == null || updater.clinicianName().isBlank()
            ? DEFAULT_UPDATER_NAME : updater.clinicianName());
  }

  /**
   * The {@code updatedBy} of the last roles update this change appended. The change's own
   * {@code updatedFields} come first: with the connector's update lookup, {@code fullDocument}
   * may already hold a later change.
   */
  private static String lastUpdater(BsonDocument updatedFields, BsonDocument clinician) {
    BsonValue appended = null;
    int lastIndex = -1;
    for (String key : updatedFields.keySet()) {
      if (key.equals(ROLES_UPDATES) && updatedFields.isArray(key) && !updatedFields.getArray(key).isEmpty()) {
        BsonArray updates = updatedFields.getArray(key);
        return updaterOf(updates.get(updates.size() - 1));
      }
      if (key.startsWith(ROLES_UPDATES + ".") && key.substring(ROLES_UPDATES.length() + 1).matches("\\d{1,9}")) {
        int index = Integer.parseInt(key.substring(ROLES_UPDATES.length() + 1));
        if (index > lastIndex) {
          lastIndex = index;
          appended = updatedFields.get(key);
        }
      }
    }
    if (appended != null) {
      return updaterOf(appended);
    }
    BsonArray updates = clinician.isArray(ROLES_UPDATES) ? clinician.getArray(ROLES_UPDATES) : new BsonArray();
    return updates.isEmpty() ? null : updaterOf(updates.get(updates.size() - 1));
  }

  private static String updaterOf(BsonValue rolesUpdate) {
    if (!rolesUpdate.isDocument()) {
      return null;
    }
    BsonDocument update = rolesUpdate.asDocument();
    return update.isString("updatedBy") ? update.getString("updatedBy").getValue() : null;
  }

  private static String idText(BsonValue id) {
    if (id == null) {
      return null;
    }
    if (id.isObjectId()) {
      return id.asObjectId().getValue().toHexString();
    }
    return id.isString() ? id.asString().getValue() : null;
  }
}
