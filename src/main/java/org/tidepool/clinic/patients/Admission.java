package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;

/**
 * The rules across a clinic's records that a new or changed record must pass: the MRN (rule 16:
 * required, unique in the clinic) and, for a creation that is limited, the plan limit (rule 18,
 * D19). The one place of these rules, for one record as for a batch: the records of a batch are
 * decided one after the other in their order, under the clinic's lock, each against the stored
 * records and the members admitted before it (their MRNs, their places on the plan). Opened with
 * one read of the holders of the batch's MRNs and the plan count.
 */
final class Admission {
  private final ClinicRules rules;
  private final Map<String, Set<String>> holders;
  private final Integer limit;
  private long plan;

  private Admission(ClinicRules rules, Map<String, Set<String>> holders, Integer limit, long plan) {
    this.rules = rules;
    this.holders = new HashMap<>();
    holders.forEach((mrn, users) -> this.holders.put(mrn, new HashSet<>(users)));
    this.limit = limit;
    this.plan = plan;
  }

  /**
   * The admission of records with these MRNs (nulls allowed) into the clinic whose rules are
   * given; {@code limited}: whether the plan limit applies (CreatePatientAccount). The caller
   * holds the clinic's lock.
   */
  static Future<Admission> open(ClinicRules rules, PatientRepository patients, PatientCounts counts, Collection<String> mrns,
                                boolean limited) {
    List<String> named = mrns.stream().filter(Objects::nonNull).distinct().toList();
    Future<Map<String, Set<String>>> holders = !rules.mrnUnique() || named.isEmpty() ? Future.succeededFuture(Map.of())
        : patients.mrnHolders(rules.clinicId(), named);
    Integer limit = limited ? rules.hardLimitAt(Instant.now()) : null;
    Future<Long> plan = limit == null ? Future.succeededFuture(0L) : plan(rules, counts);
    return Future.all(holders, plan).map(all -> new Admission(rules, holders.result(), limit, plan.result()));
  }

  /** The clinic's plan patients: the cached count (exact under the clinic's lock), else a count. */
  private static Future<Long> plan(ClinicRules rules, PatientCounts counts) {
    Long cached = rules.cachedPlanPatients();
    return cached != null ? Future.succeededFuture(cached) : counts.count(rules.clinicId()).map(current -> current.getLong("plan"));
  }

  /** Why the record of {@code userId} may not have {@code mrn} (400), or null: required, unique among the clinic's other users. */
  ServiceError mrnRefusal(String userId, String mrn) {
    if (mrn == null) {
      return rules.mrnRequired() ? ServiceError.badRequest(ClinicRules.MRN_REQUIRED) : null;
    }
    if (!rules.mrnUnique()) {
      return null;
    }
    Set<String> users = holders.getOrDefault(mrn, Set.of());
    return users.stream().anyMatch(other -> !other.equals(userId)) ? ServiceError.badRequest(PatientRepository.MRN_NOT_UNIQUE) : null;
  }

  /** Why a new record may not join the plan (402), or null: the plan is at the limit in force. */
  ServiceError limitRefusal() {
    return limit != null && plan >= limit ? new ServiceError(ServiceError.PAYMENT_REQUIRED, ClinicRules.OVER_LIMIT) : null;
  }

  /** The record of {@code userId} with {@code mrn} is admitted: later members see its MRN, and its place on the plan. */
  void admit(String userId, String mrn, boolean onPlan) {
    if (mrn != null) {
      holders.computeIfAbsent(mrn, key -> new HashSet<>()).add(userId);
    }
    if (onPlan) {
      plan++;
    }
  }
}
