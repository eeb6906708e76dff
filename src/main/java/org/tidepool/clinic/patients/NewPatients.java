package org.tidepool.clinic.patients;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tidepool.clinic.clinics.ClinicService;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites.DocumentUpdate;
import org.tidepool.clinic.platform.PatientAccounts;
import org.tidepool.clinic.platform.PatientProfile;

/**
 * The creation of patient records from existing users, any number of them under one hold of the
 * clinic's lock: the clinic's rules read once, the existing records of those users found in one
 * read, each member decided in its order by the {@link Admission} rules, the new records inserted
 * in one bulk write with their change records, a legacy clinician id added to the existing ones
 * in one batched update, and the counts moved by one {@code $inc}; all of it one
 * {@link PatientService#COUNTED_CHANGE} intent, whose resumer recounts the clinic when a batch is
 * cut short (its repetition then finds the records written and creates none twice). A single
 * CreatePatientFromUser is a batch of one. Each member keeps its own outcome. CreatePatientAccount
 * takes the same path through a queue per clinic ({@link #account}).
 */
final class NewPatients {
  /** The most members one batch may have. */
  static final int MAX_BATCH = 500;

  private final PatientRepository patients;
  private final PatientCounts counts;
  private final ClinicService clinics;
  private final PatientAccounts users;
  private final ClinicLock lock;
  private final IntentLog intents;

  NewPatients(PatientRepository patients, PatientCounts counts, ClinicService clinics, PatientAccounts users, ClinicLock lock,
              IntentLog intents) {
    this.patients = patients;
    this.counts = counts;
    this.clinics = clinics;
    this.users = users;
    this.lock = lock;
    this.intents = intents;
  }

  /** Per clinic, the account creations of this process waiting for the clinic's next batch, and whether one is being written. */
  private final Map<String, Queue> queues = new HashMap<>();

  private static final class Queue {
    final Deque<AccountRequest> waiting = new ArrayDeque<>();
  }

  /** A CreatePatientAccount waiting in its clinic's queue, answered on the context it came from. */
  private record AccountRequest(PatientDetails details, String invitedBy, Context context, Promise<Patient> answer) {
    void complete(AsyncResult<Patient> result) {
      if (context == null) {
        answer.handle(result);
      } else {
        context.runOnContext(v -> answer.handle(result));
      }
    }
  }

  /** One member of a batch: the user to add, with what the request sets. */
  record FromUserRequest(String userId, PatientService.FromUser request) {}

  /** A member's outcome: its record (created, or the existing one a legacy clinician joined), or why not. */
  record Outcome(Patient patient, Throwable failure) {
    static Outcome refused(Throwable failure) {
      return new Outcome(null, failure);
    }
  }

  /**
   * Adds existing users as patients of the clinic, each as CreatePatientFromUser does: 404 when
   * the user is gone; 409 when the user is a patient of the clinic already, except in a legacy
   * migration ({@code legacyClinicianId}), whose id joins the existing record's; the MRN rules.
   * The outcomes are in the order of the requests, whose users must be distinct (400). Fails as a
   * whole only when the clinic is gone (404) or the batch could not be written (then nothing of
   * it is visible but what a repetition converges).
   */
  Future<List<Outcome>> fromUsers(String clinicId, List<FromUserRequest> requests) {
    Set<String> distinct = new HashSet<>();
    requests.forEach(member -> distinct.add(member.userId()));
    if (distinct.size() != requests.size() || requests.size() > MAX_BATCH) {
      return Future.failedFuture(ServiceError.badRequest("a batch names distinct users, at most " + MAX_BATCH));
    }
    List<Future<PatientProfile>> profiles = requests.stream().map(member -> users.patientProfile(member.userId())).toList();
    return Future.join(profiles).otherwiseEmpty().compose(read -> ClinicRules.underLock(lock, clinics, clinicId, rules -> {
      List<String> known = new ArrayList<>();
      for (int i = 0; i < requests.size(); i++) {
        if (profiles.get(i).succeeded() && profiles.get(i).result() != null) {
          known.add(requests.get(i).userId());
        }
      }
      return patients.findEachByUser(clinicId, known).compose(existing -> {
        List<String> mrns = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
          if (profiles.get(i).succeeded() && profiles.get(i).result() != null && !existing.containsKey(requests.get(i).userId())) {
            mrns.add(fromProfile(requests.get(i).request().details(), profiles.get(i).result()).mrn());
          }
        }
        return Admission.open(rules, patients, counts, mrns, false)
            .compose(admission -> write(clinicId, decide(rules, admission, requests, profiles, existing)));
      });
    }));
  }

  /**
   * A clinic creates a custodial account (rule 14): all four permissions, {@code invitedBy} the
   * calling user (null for a service), within the MRN rules and the plan limit (402), 409 when
   * the platform has the email already. The creations of one clinic that arrive while a batch of
   * it is being written wait in this process's queue of the clinic and are written together as
   * the next batch, under one hold of the clinic's lock (which still orders the batches of several
   * processes); each is decided in its order of arrival exactly as alone.
   */
  Future<Patient> account(String clinicId, PatientDetails details, String invitedBy) {
    AccountRequest request = new AccountRequest(details, invitedBy, Vertx.currentContext(), Promise.promise());
    boolean first;
    synchronized (queues) {
      Queue queue = queues.get(clinicId);
      first = queue == null;
      if (first) {
        queue = new Queue();
        queues.put(clinicId, queue);
      }
      queue.waiting.add(request);
    }
    if (first) {
      drain(clinicId);
    }
    return request.answer().future();
  }

  /** Writes the clinic's waiting creations a batch at a time until none waits. */
  private void drain(String clinicId) {
    List<AccountRequest> batch = new ArrayList<>();
    synchronized (queues) {
      Queue queue = queues.get(clinicId);
      while (!queue.waiting.isEmpty() && batch.size() < MAX_BATCH) {
        batch.add(queue.waiting.poll());
      }
      if (batch.isEmpty()) {
        queues.remove(clinicId);
        return;
      }
    }
    Future<List<Outcome>> written;
    try {
      written = accounts(clinicId, batch);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(result -> {
      for (int i = 0; i < batch.size(); i++) {
        Outcome outcome = result.succeeded() ? result.result().get(i) : Outcome.refused(result.cause());
        batch.get(i).complete(outcome.failure() == null ? Future.succeededFuture(outcome.patient()) : Future.failedFuture(outcome.failure()));
      }
      drain(clinicId);
    });
  }

  /**
   * A batch of account creations under the clinic's lock: the rules, then each member in its
   * order (sites, MRN, limit, then its account: a 409 from the platform refuses it and it takes
   * no place), then the records written as one batch.
   */
  private Future<List<Outcome>> accounts(String clinicId, List<AccountRequest> requests) {
    return ClinicRules.underLock(lock, clinics, clinicId, rules -> Admission.open(rules, patients, counts,
            requests.stream().map(request -> request.details().mrn()).toList(), true)
        .compose(admission -> {
          Batch batch = new Batch(requests.size());
          Future<Void> decided = Future.succeededFuture();
          for (int i = 0; i < requests.size(); i++) {
            int index = i;
            decided = decided.compose(v -> decideAccount(rules, admission, batch, index, requests.get(index)));
          }
          return decided.compose(v -> write(clinicId, batch));
        }));
  }

  private Future<Void> decideAccount(ClinicRules rules, Admission admission, Batch batch, int index, AccountRequest request) {
    PatientDetails details = request.details();
    List<Patient.Site> sites;
    try {
      sites = rules.sites(details.siteIds());
    } catch (ServiceError refused) {
      batch.refuse(index, refused);
      return Future.succeededFuture();
    }
    ServiceError refusal = admission.mrnRefusal(null, details.mrn());
    if (refusal == null) {
      refusal = admission.limitRefusal();
    }
    if (refusal != null) {
      batch.refuse(index, refusal);
      return Future.succeededFuture();
    }
    return users.createCustodialUser(rules.clinicId(), lowerCase(details.email())).transform(created -> {
      if (created.failed()) {
        batch.refuse(index, created.cause());
      } else {
        Patient record = newPatient(rules.clinicId(), created.result(), details, sites, Permissions.custodial(), rules.mrnUnique(),
            request.invitedBy(), false, null);
        admission.admit(record.userId(), details.mrn(), counts.onPlan(record));
        batch.insert(index, record);
      }
      return Future.succeededFuture();
    });
  }

  /** Each member decided in its order: refused, a legacy id to add to its existing record, or a new record. */
  private Batch decide(ClinicRules rules, Admission admission, List<FromUserRequest> requests, List<Future<PatientProfile>> profiles,
                       Map<String, Patient> existing) {
    Batch batch = new Batch(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      String userId = requests.get(i).userId();
      PatientService.FromUser request = requests.get(i).request();
      Future<PatientProfile> profile = profiles.get(i);
      Patient current = existing.get(userId);
      if (profile.failed()) {
        batch.refuse(i, profile.cause());
      } else if (profile.result() == null) {
        batch.refuse(i, ServiceError.notFound("user " + userId + " not found"));
      } else if (current != null && request.legacyClinicianId() != null) {
        batch.joinLegacy(i, current, request.legacyClinicianId());
      } else if (current != null) {
        batch.refuse(i, ServiceError.conflict(PatientRepository.ALREADY_PATIENT));
      } else {
        try {
          PatientDetails details = fromProfile(request.details(), profile.result());
          List<Patient.Site> sites = rules.sites(details.siteIds());
          ServiceError refusal = admission.mrnRefusal(userId, details.mrn());
          if (refusal != null) {
            batch.refuse(i, refusal);
            continue;
          }
          Patient record = newPatient(rules.clinicId(), userId, details, sites, request.permissions(), rules.mrnUnique(), null,
              request.migrated(), request.legacyClinicianId());
          admission.admit(userId, details.mrn(), counts.onPlan(record));
          batch.insert(i, record);
        } catch (ServiceError refused) {
          batch.refuse(i, refused);
        }
      }
    }
    return batch;
  }

  /**
   * The batch's writes, one counted intent: the legacy ids added (one batched update), the new
   * records inserted (one bulk write), the counts moved by the records inserted. The caller holds
   * the clinic's lock.
   */
  private Future<List<Outcome>> write(String clinicId, Batch batch) {
    if (batch.inserts.isEmpty() && batch.joins.isEmpty()) {
      return Future.succeededFuture(batch.outcomes());
    }
    return intents.run(PatientService.COUNTED_CHANGE, clinicId, new JsonObject(), steps -> patients.updateEachReturning(
            batch.joins.stream().map(Join::update).toList())
        .compose(joined -> {
          batch.joins.forEach(join -> batch.outcomes[join.index()] = joined.containsKey(join.record().id())
              ? new Outcome(joined.get(join.record().id()), null)
              : Outcome.refused(ServiceError.conflict(PatientService.CONCURRENT_CHANGE)));
          return patients.insertEach(batch.inserts.stream().map(Insert::record).toList());
        })
        .compose(failures -> {
          List<Patient> inserted = new ArrayList<>();
          for (int i = 0; i < batch.inserts.size(); i++) {
            Insert insert = batch.inserts.get(i);
            if (failures.get(i) == null) {
              Patient stored = PatientRepository.asStored(insert.record());
              batch.outcomes[insert.index()] = new Outcome(stored, null);
              inserted.add(stored);
            } else {
              batch.outcomes[insert.index()] = Outcome.refused(failures.get(i));
            }
          }
          return steps.reached("written").compose(v -> counts.applyAll(clinicId, List.of(), inserted));
        })
        .map(v -> batch.outcomes()));
  }

  private record Insert(int index, Patient record) {}

  private record Join(int index, Patient record, String legacyClinicianId) {
    DocumentUpdate update() {
      return new DocumentUpdate(record.id(), new JsonObject(),
          new JsonObject().put("$addToSet", new JsonObject().put("legacyClinicianIds", legacyClinicianId)));
    }
  }

  /** What a batch decided for its members, by their positions. */
  private static final class Batch {
    final Outcome[] outcomes;
    final List<Insert> inserts = new ArrayList<>();
    final List<Join> joins = new ArrayList<>();

    Batch(int size) {
      outcomes = new Outcome[size];
    }

    void refuse(int index, Throwable failure) {
      outcomes[index] = Outcome.refused(failure);
    }

    void insert(int index, Patient record) {
      inserts.add(new Insert(index, record));
    }

    void joinLegacy(int index, Patient record, String legacyClinicianId) {
      joins.add(new Join(index, record, legacyClinicianId));
    }

    List<Outcome> outcomes() {
      return List.of(outcomes);
    }
  }

  static Patient newPatient(String clinicId, String userId, PatientDetails details, List<Patient.Site> sites,
                            Set<String> permissions, boolean requireUniqueMrn, String invitedBy, boolean migrated,
                            String legacyClinicianId) {
    Instant now = Instant.now();
    return new Patient(MongoJson.newId(), clinicId, userId, lowerCase(details.email()), details.fullName(), details.birthDate(),
        details.mrn(), details.targetDevices(), details.tags(), sites, details.dataSources(), permissions, null, Map.of(), null,
        details.glycemicRanges(), details.diagnosisType(), null, invitedBy, requireUniqueMrn, migrated,
        legacyClinicianId == null ? null : List.of(legacyClinicianId), details.attestationSubmitted(), now, now, 0);
  }

  /** The request's details, each missing one from the profile (the account's username is the email). */
  private static PatientDetails fromProfile(PatientDetails given, PatientProfile profile) {
    return new PatientDetails(
        given.fullName() != null ? given.fullName() : profile.fullName(),
        given.birthDate() != null ? given.birthDate() : profile.birthday(),
        lowerCase(profile.username()),
        given.mrn() != null ? given.mrn() : profile.mrn(),
        profile.targetDevices(), given.tags(), given.siteIds(), null, given.glycemicRanges(), given.diagnosisType(),
        given.attestationSubmitted());
  }

  static String lowerCase(String email) {
    return email == null ? null : email.toLowerCase(Locale.ROOT);
  }
}
