package org.tidepool.clinic.users;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.clinicians.Clinician;
import org.tidepool.clinic.clinicians.ClinicianFilter;
import org.tidepool.clinic.clinicians.ClinicianRepository;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.IntentLog;

/**
 * A user's account details changed at the platform (UpdateClinicUserDetails): their email goes
 * to every clinician record of theirs, each under its clinic's membership lock (member emails are
 * unique per clinic), then to their patient records.
 */
public final class UserDetailsService {
  static final String KIND = "UserEmailChange";
  static final String EMAIL_TAKEN = "the email address is used by another clinician of clinic ";
  static final String CONCURRENT_CHANGE = "a clinician record of the user was changed by another request; try again";
  private static final Logger LOG = LoggerFactory.getLogger(UserDetailsService.class);

  private final ClinicianRepository clinicians;
  private final ClinicLock membership;
  private final IntentLog intents;
  private final PatientEmails patientEmails;

  public UserDetailsService(ClinicianRepository clinicians, ClinicLock membership, IntentLog intents, PatientEmails patientEmails) {
    this.clinicians = clinicians;
    this.membership = membership;
    this.intents = intents;
    this.patientEmails = patientEmails;
    intents.register(KIND, intent -> apply(intent.params().getString("userId"), intent.params().getString("email"), true,
        step -> Future.succeededFuture()));
  }

  /**
   * Sets the user's email (null: none given, the clinician records stay as they are). 422 when
   * another clinician of one of the user's clinics has that email: checked for every clinic
   * before the first write, and again under each clinic's lock. An intent of the user: a change
   * cut short is finished, the email going to every record where it is still free.
   */
  public Future<Void> updateEmail(String userId, String email) {
    if (email == null) {
      return patientEmails.update(userId, null);
    }
    String lowerCased = email.toLowerCase(Locale.ROOT);
    return clinicians.find(ClinicianFilter.ofUser(userId), null)
        .compose(records -> allFree(records, lowerCased))
        .compose(free -> intents.runForUser(KIND, userId, new JsonObject().put("userId", userId).put("email", lowerCased),
            steps -> apply(userId, lowerCased, false, steps::reached)));
  }

  /** The email on each clinician record of the user (each under its clinic's lock), then on their patient records. */
  private Future<Void> apply(String userId, String email, boolean skipTaken, Function<String, Future<Void>> reached) {
    return clinicians.find(ClinicianFilter.ofUser(userId), null).compose(records -> {
      Future<Void> chain = Future.succeededFuture();
      for (Clinician record : records) {
        chain = chain.compose(done -> membership.run(record.clinicId(), () -> updateOne(record, email)
                .recover(failure -> skipTaken && failure instanceof ServiceError error && error.code() == ServiceError.UNPROCESSABLE
                    ? skipped(record, failure) : Future.failedFuture(failure))))
            .compose(done -> reached.apply("clinician"));
      }
      return chain;
    }).compose(done -> patientEmails.update(userId, email));
  }

  private static Future<Void> skipped(Clinician record, Throwable failure) {
    LOG.warn("clinician record {} of clinic {} keeps its email: {}", record.id(), record.clinicId(), failure.getMessage());
    return Future.succeededFuture();
  }

  private Future<Void> allFree(List<Clinician> records, String email) {
    Future<Void> chain = Future.succeededFuture();
    for (Clinician record : records) {
      chain = chain.compose(done -> free(record, email));
    }
    return chain;
  }

  private Future<Void> free(Clinician record, String email) {
    return clinicians.emailTakenByOther(record.clinicId(), email, record.id()).compose(taken -> taken
        ? Future.failedFuture(ServiceError.unprocessable(EMAIL_TAKEN + record.clinicId()))
        : Future.succeededFuture());
  }

  /** Re-reads the record under the lock, checks the email is free there, and writes it at the revision read. */
  private Future<Void> updateOne(Clinician stale, String email) {
    return free(stale, email)
        .compose(ok -> clinicians.findByUser(stale.clinicId(), stale.userId()))
        .compose(current -> {
          if (current == null || email.equals(current.email())) {
            return Future.succeededFuture();
          }
          return clinicians.updateEmail(current, email).compose(updated -> updated != null ? Future.<Void>succeededFuture()
              : Future.failedFuture(ServiceError.conflict(CONCURRENT_CHANGE)));
        });
  }
}
