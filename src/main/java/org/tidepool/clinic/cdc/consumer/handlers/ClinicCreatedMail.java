package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.events.ChangeHandler;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.mail.MailRequests;

/**
 * A new clinic with a name and admins: mails {@code clinic_created} to its first admin (not for
 * the connector's copies of existing clinics).
 */
public final class ClinicCreatedMail implements ChangeHandler {
  private static final Logger log = LoggerFactory.getLogger(ClinicCreatedMail.class);
  static final String TEMPLATE = "clinic_created";

  private final UserDirectory users;
  private final MailRequests mail;

  public ClinicCreatedMail(UserDirectory users, MailRequests mail) {
    this.users = Objects.requireNonNull(users, "users");
    this.mail = mail;
  }

  @Override
  public Future<Void> handle(ChangeEvent event) {
    BsonDocument clinic = event.fullDocument();
    // a copied document is not a new clinic: upstream turned copying off because it re-mailed
    if (!event.is(ChangeEvent.INSERT) || event.isCopy() || clinic == null) {
      return Future.succeededFuture();
    }
    String name = event.fullDocumentString("name");
    BsonArray admins = clinic.isArray("admins") ? clinic.getArray("admins") : new BsonArray();
    if (name == null || name.isBlank() || admins.isEmpty() || !admins.get(0).isString()) {
      return Future.succeededFuture();
    }
    String adminId = admins.get(0).asString().getValue();
    return users.find(adminId).compose(admin -> {
      if (admin == null || admin.email() == null || admin.email().isBlank()) {
        log.info("clinic {} created, but its first admin {} has no known email", event.documentId(), adminId);
        return Future.succeededFuture();
      }
      return mail.send(TEMPLATE, admin.email(), new JsonObject().put("ClinicName", name), event.id());
    });
  }
}
