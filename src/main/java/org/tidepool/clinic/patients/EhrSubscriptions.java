package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;

/**
 * A patient record's EHR subscriptions (upstream's {@code ehrSubscriptions}: name → subscription,
 * not part of the API's patient), updated by the EHR integrations as orders are matched. Rule 26:
 * a message the subscription has already matched is ignored, so a redelivered order changes
 * nothing; the update is conditional on the record's revision as read (the optimistic lock
 * upstream takes on {@code updatedTime}), so that two updates of one record cannot lose a
 * matched message: the one that loses the race reads again and tries again, and after
 * {@value #ATTEMPTS} lost races answers 409.
 */
public final class EhrSubscriptions {
  /** The subscriptions upstream keeps: Redox's summary and reports, Xealth's reports. */
  public static final Set<String> NAMES = Set.of("summaryAndReports", "xealthReports");
  static final int ATTEMPTS = 3;
  static final String CONCURRENT_CHANGE = "the patient's EHR subscription was changed by other requests; try again";

  private final PatientRepository patients;

  public EhrSubscriptions(PatientRepository patients) {
    this.patients = patients;
  }

  /** A subscription as stored. */
  public record Subscription(boolean active, String provider, List<MatchedMessage> matchedMessages, Instant createdAt,
                             Instant updatedAt) {
    boolean matched(MatchedMessage message) {
      return message != null && matchedMessages.stream().anyMatch(other -> other.id().equals(message.id()));
    }
  }

  /** An EHR message (order) the subscription matched, by the message's id. */
  public record MatchedMessage(String id, String dataModel, String eventType) {}

  /** The subscription {@code name} becomes {@code active} with {@code provider}; {@code message}, when given, joins its matched messages. */
  public record Update(String name, boolean active, String provider, MatchedMessage message) {}

  /** A patient record with its subscriptions, as read together (the revision of the one is that of the other). */
  public record OfPatient(Patient patient, java.util.Map<String, Subscription> subscriptions) {}

  /**
   * Applies the update to the patient {@code userId} of the clinic: true when written, false when
   * the message was already matched (nothing written). 404 for a patient the clinic has not, 400
   * for a subscription name upstream does not know, 409 after {@value #ATTEMPTS} lost races.
   */
  public Future<Boolean> update(String clinicId, String userId, Update update) {
    if (!NAMES.contains(update.name())) {
      return Future.failedFuture(ServiceError.badRequest("unknown EHR subscription " + update.name()));
    }
    return attempt(clinicId, userId, update, ATTEMPTS);
  }

  private Future<Boolean> attempt(String clinicId, String userId, Update update, int attemptsLeft) {
    return patients.findWithEhrSubscriptions(clinicId, userId).compose(read -> {
      if (read == null) {
        return Future.failedFuture(ServiceError.notFound("patient " + userId + " not found in clinic " + clinicId));
      }
      Subscription current = read.subscriptions().get(update.name());
      if (current != null && current.matched(update.message())) {
        return Future.succeededFuture(false);
      }
      return patients.setEhrSubscription(read.patient(), update.name(), updated(current, update)).compose(written -> {
        if (written != null) {
          return Future.succeededFuture(true);
        }
        return attemptsLeft > 1 ? attempt(clinicId, userId, update, attemptsLeft - 1)
            : Future.failedFuture(ServiceError.conflict(CONCURRENT_CHANGE));
      });
    });
  }

  private static Subscription updated(Subscription current, Update update) {
    Instant now = Instant.now();
    List<MatchedMessage> messages = new ArrayList<>(current == null ? List.of() : current.matchedMessages());
    if (update.message() != null) {
      messages.add(update.message());
    }
    return new Subscription(update.active(), update.provider(), messages, current == null || current.createdAt() == null ? now
        : current.createdAt(), now);
  }
}
