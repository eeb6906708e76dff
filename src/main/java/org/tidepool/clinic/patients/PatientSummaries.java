package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * Summaries the platform's summary service pushes onto every clinic record of a user (rule 25):
 * each statistics type given replaces the stored one, an empty summary removes the summary. A
 * record whose summary would not change is not written, so that "nothing changed" (204) is known.
 */
public final class PatientSummaries {
  private final PatientRepository patients;

  public PatientSummaries(PatientRepository patients) {
    this.patients = patients;
  }

  /** Whether any record of the user changed. */
  public Future<Boolean> update(String userId, JsonObject summary) {
    JsonObject given = PatientDocuments.summaryDocument(summary);
    return patients.findOfUser(userId, null).compose(records -> changedAny(records, record -> {
      JsonObject update = given.isEmpty() ? unsetSummary(record) : setStatistics(record, given);
      return update == null ? Future.succeededFuture(false) : patients.updateAnyRevision(record, update).map(Objects::nonNull);
    }));
  }

  /** Removes the statistics with this id from every record that has them; whether any record changed. */
  public Future<Boolean> delete(String summaryId) {
    return patients.findWithSummary(summaryId).compose(records -> changedAny(records, record -> {
      JsonObject unset = new JsonObject();
      for (String stats : PatientDocuments.SUMMARY_TYPES) {
        if (record.summary() != null && record.summary().getValue(stats) instanceof JsonObject statistics
            && summaryId.equals(statistics.getString("id"))) {
          unset.put("summary." + stats, "");
        }
      }
      return unset.isEmpty() ? Future.succeededFuture(false)
          : patients.updateAnyRevision(record, new JsonObject().put("$unset", unset)).map(Objects::nonNull);
    }));
  }

  private static JsonObject unsetSummary(Patient record) {
    return record.summary() == null ? null : new JsonObject().put("$unset", new JsonObject().put("summary", ""));
  }

  private static JsonObject setStatistics(Patient record, JsonObject given) {
    JsonObject stored = record.summary() == null ? new JsonObject() : PatientDocuments.summaryDocument(record.summary());
    JsonObject set = new JsonObject();
    given.forEach(entry -> {
      if (!Objects.equals(stored.getValue(entry.getKey()), entry.getValue())) {
        set.put("summary." + entry.getKey(), entry.getValue());
      }
    });
    return set.isEmpty() ? null : new JsonObject().put("$set", set);
  }

  private static Future<Boolean> changedAny(List<Patient> records, java.util.function.Function<Patient, Future<Boolean>> write) {
    Future<Boolean> chain = Future.succeededFuture(false);
    for (Patient record : records) {
      chain = chain.compose(changed -> write.apply(record).map(written -> changed || written));
    }
    return chain;
  }
}
