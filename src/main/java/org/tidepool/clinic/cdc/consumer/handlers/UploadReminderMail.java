package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.mail.MailRequests;

/**
 * A clinician asked the patient to upload ({@code SendUploadReminder} set
 * {@code lastUploadReminderTime}): {@value #TEMPLATE} to the account's email, once per change.
 */
public final class UploadReminderMail {
  private static final Logger log = LoggerFactory.getLogger(UploadReminderMail.class);
  static final String TEMPLATE = "patient_upload_reminder";
  static final String FIELD = "lastUploadReminderTime";

  private final UserDirectory users;
  private final MailRequests mail;

  public UploadReminderMail(UserDirectory users, MailRequests mail) {
    this.users = users;
    this.mail = mail;
  }

  /** An update or replace whose updated fields set the reminder time (after the epoch). */
  static boolean requested(ChangeEvent event) {
    if (!event.is(ChangeEvent.UPDATE) && !event.is(ChangeEvent.REPLACE)) {
      return false;
    }
    BsonDocument updated = event.updatedFields();
    BsonValue time = updated.get(FIELD);
    return time != null && time.isDateTime() && time.asDateTime().getValue() > 0;
  }

  Future<Void> handle(ChangeEvent event) {
    String userId = event.fullDocumentString("userId");
    return users.find(userId).compose(user -> {
      if (user == null || user.email() == null || user.email().isBlank()) {
        log.info("upload reminder for {}: no email known, nothing sent", userId);
        return Future.succeededFuture();
      }
      return mail.send(TEMPLATE, user.email(), new io.vertx.core.json.JsonObject(), event.id());
    });
  }
}
