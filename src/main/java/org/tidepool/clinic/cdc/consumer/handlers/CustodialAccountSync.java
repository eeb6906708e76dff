package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.platform.DataService;
import org.tidepool.clinic.platform.ProfileStore;
import org.tidepool.clinic.platform.SignupInvites;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.operations.StoreCalls;
import org.tidepool.clinic.mail.MailRequests;

/**
 * A custodial patient written: the record's fields merged into the account's profile (the
 * whole record for an insert or replace; the updated and removed fields of an update), then
 * the signup invite, and after a new invite the claim reminder. In embedded mode the invite
 * ({@value #INVITE_TEMPLATE}) is mailed here, once per invite key.
 */
public final class CustodialAccountSync {
  private static final Logger log = LoggerFactory.getLogger(CustodialAccountSync.class);
  static final String INVITE_TEMPLATE = "signup_custodial_new_clinic_experience_confirmation";
  static final String DEFAULT_CREATOR = "Clinician";

  /** Record field → how it is set on (value) or removed from (null) the profile. */
  private static final Map<String, BiConsumer<JsonObject, Object>> PROFILE_FIELDS = Map.of(
      "fullName", (profile, value) -> put(profile, "fullName", value),
      "birthDate", (profile, value) -> put(patientOf(profile), "birthday", value),
      "mrn", (profile, value) -> put(patientOf(profile), "mrn", value),
      "targetDevices", (profile, value) -> put(patientOf(profile), "targetDevices", value),
      "diagnosisType", (profile, value) -> put(patientOf(profile), "diagnosisType", value),
      "email", (profile, value) -> {
        put(profile, "email", value);
        put(patientOf(profile), "emails", value == null ? null : new JsonArray().add(value));
      });

  private final ProfileStore profiles;
  private final SignupInvites invites;
  private final DataService data;
  private final UserDirectory users;
  private final StoreCalls store;
  private final MailRequests mail;
  private final HandlerSettings settings;

  public CustodialAccountSync(ProfileStore profiles, SignupInvites invites, DataService data, UserDirectory users, StoreCalls store,
                              MailRequests mail, HandlerSettings settings) {
    this.profiles = profiles;
    this.invites = invites;
    this.data = data;
    this.users = users;
    this.store = store;
    this.mail = mail;
    this.settings = settings;
  }

  Future<Void> handle(ChangeEvent event) {
    BsonDocument patient = event.fullDocument();
    String userId = Bson.string(patient, "userId");
    return syncProfile(event, userId).compose(synced -> invite(patient, userId));
  }

  private Future<Void> syncProfile(ChangeEvent event, String userId) {
    return profiles.profile(userId).compose(found -> {
      JsonObject profile = found == null ? new JsonObject() : found.copy();
      if (event.is(ChangeEvent.UPDATE)) {
        BsonDocument updated = event.updatedFields();
        PROFILE_FIELDS.forEach((field, apply) -> {
          if (updated.containsKey(field)) {
            apply.accept(profile, Bson.json(updated.get(field)));
          }
        });
        for (String removed : event.removedFields()) {
          BiConsumer<JsonObject, Object> apply = PROFILE_FIELDS.get(removed);
          if (apply != null) {
            apply.accept(profile, null);
          }
        }
      } else {
        BsonDocument record = event.fullDocument();
        PROFILE_FIELDS.forEach((field, apply) -> {
          if (record.containsKey(field)) {
            apply.accept(profile, Bson.json(record.get(field)));
          }
        });
      }
      return profiles.saveProfile(userId, profile);
    });
  }

  private Future<Void> invite(BsonDocument patient, String userId) {
    String clinicId = Bson.id(patient.get("clinicId"));
    String invitedBy = Bson.string(patient, "invitedBy");
    return invites.sendSignup(userId, clinicId, invitedBy).compose(outcome -> {
      Future<Void> mailed = outcome.toMail() == null ? Future.succeededFuture()
          : mailInvite(outcome.toMail(), patient, clinicId, invitedBy);
      return outcome.status() == SignupInvites.Status.SENT ? mailed.compose(done -> claimReminder(clinicId, userId)) : mailed;
    });
  }

  private Future<Void> mailInvite(SignupInvites.Invitation invitation, BsonDocument patient, String clinicId, String invitedBy) {
    Future<String> creator = invitedBy == null ? Future.succeededFuture(DEFAULT_CREATOR)
        : users.find(invitedBy).map(user -> user == null || user.fullName() == null || user.fullName().isBlank()
            ? DEFAULT_CREATOR : user.fullName());
    return Future.all(creator, store.clinicName(clinicId)).compose(found -> {
      JsonObject variables = new JsonObject()
          .put("Key", invitation.key())
          .put("Email", invitation.email())
          .put("FullName", Bson.string(patient, "fullName"))
          .put("CreatorName", creator.result())
          .put("ClinicName", found.<String>resultAt(1))
          .put("ClaimURL", settings.claimUrl() + "?signupKey=" + encode(invitation.key()) + "&signupEmail=" + encode(invitation.email()));
      return mail.sendOnce(INVITE_TEMPLATE, invitation.email(), variables, "signup:" + invitation.key());
    });
  }

  /** After a new invite, when the account has an email; a failure is only logged (as upstream). */
  private Future<Void> claimReminder(String clinicId, String userId) {
    return users.find(userId).compose(user -> {
      if (user == null || user.email() == null || user.email().isBlank()) {
        return Future.<Void>succeededFuture();
      }
      JsonObject body = new JsonObject().put("clinicId", clinicId).put("userId", userId)
          .put("whenToSend", Instant.now().plus(settings.remindersInterval()).toString());
      return data.scheduleClaimReminder(body).<Void>mapEmpty();
    }).recover(failure -> {
      log.warn("claim reminder for {} not scheduled: {}", userId, failure.getMessage());
      return Future.succeededFuture();
    });
  }

  private static JsonObject patientOf(JsonObject profile) {
    if (!(profile.getValue("patient") instanceof JsonObject)) {
      profile.put("patient", new JsonObject());
    }
    return profile.getJsonObject("patient");
  }

  private static void put(JsonObject target, String key, Object value) {
    if (value == null) {
      target.remove(key);
    } else {
      target.put(key, value);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
