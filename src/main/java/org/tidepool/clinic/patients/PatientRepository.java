package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.mongo.PublishedWrites;
import org.tidepool.clinic.mongo.PublishedWrites.DocumentUpdate;
import org.tidepool.clinic.mongo.Revision;

/**
 * The {@code patients} collection and its archive {@code patient_deletions}, both published.
 * One record per (clinic, user): the unique index {@code UniquePatient} on every backend. An MRN
 * is unique per clinic where the clinic asks for it: the partial unique index {@code UniqueMrn}
 * where the server has partial indexes, and everywhere the service's check under the clinic's lock.
 */
public final class PatientRepository {
  public static final String COLLECTION = "patients";
  public static final String DELETIONS = "patient_deletions";
  public static final String ALREADY_PATIENT = "patient is already a member of the clinic";
  public static final String MRN_NOT_UNIQUE = "mrn must be unique";
  static final String UNIQUE_MRN_INDEX = "UniqueMrn";

  private final MongoClient mongo;
  private final PublishedWrites writes;

  public PatientRepository(MongoClient mongo, PublishedWrites writes) {
    this.mongo = mongo;
    this.writes = writes;
  }

  public static List<IndexSpec> indexes() {
    return List.of(
        IndexSpec.plain(COLLECTION, "UserId", new JsonObject().put("userId", 1)),
        IndexSpec.unique(COLLECTION, "UniquePatient", new JsonObject().put("clinicId", 1).put("userId", 1)),
        IndexSpec.plain(COLLECTION, "PatientBirthDate", new JsonObject().put("clinicId", 1).put("birthDate", 1)),
        IndexSpec.plain(COLLECTION, "PatientEmail", new JsonObject().put("clinicId", 1).put("email", 1)),
        IndexSpec.plain(COLLECTION, "PatientMRN", new JsonObject().put("clinicId", 1).put("mrn", 1)),
        IndexSpec.plain(COLLECTION, "PatientTagsV2", new JsonObject().put("clinicId", 1).put("userId", 1).put("tags", 1)),
        IndexSpec.plain(COLLECTION, "DataSourcesProviderName", new JsonObject().put("clinicId", 1).put("dataSources.providerName", 1)),
        IndexSpec.plain(COLLECTION, "DataSourcesState", new JsonObject().put("clinicId", 1).put("dataSources.state", 1)),
        IndexSpec.plain(COLLECTION, "Sites", new JsonObject().put("clinicId", 1).put("sites.id", 1)),
        // _na (never present) only tells this index apart from PatientMRN, as upstream does
        IndexSpec.uniqueWhere(COLLECTION, UNIQUE_MRN_INDEX, new JsonObject().put("clinicId", 1).put("mrn", 1).put("_na", 1),
            new JsonObject().put("mrn", new JsonObject().put("$type", "string")).put("requireUniqueMrn", true)),
        IndexSpec.plain(DELETIONS, "PatientDeletion", new JsonObject().put("patient.clinicId", 1).put("patient.userId", 1)),
        IndexSpec.plain(DELETIONS, "DeletedTime",
            new JsonObject().put("deletedTime", 1).put("patient.clinicId", 1).put("patient.userId", 1)));
  }

  public Future<Patient> findByUser(String clinicId, String userId) {
    return mongo.findOne(COLLECTION, of(clinicId, userId), null).map(PatientDocuments::fromDocument);
  }

  /** The record of the user in the clinic with its EHR subscriptions, from one read; null when there is none. */
  public Future<EhrSubscriptions.OfPatient> findWithEhrSubscriptions(String clinicId, String userId) {
    return mongo.findOne(COLLECTION, of(clinicId, userId), null).map(doc -> doc == null ? null
        : new EhrSubscriptions.OfPatient(PatientDocuments.fromDocument(doc), PatientDocuments.ehrSubscriptions(doc)));
  }

  /** A record with its stored EHR subscriptions document (null when it has none), as an update reads them. */
  public record WithStoredSubscriptions(Patient patient, JsonObject ehrSubscriptions) {}

  /** The record of the user in the clinic with its stored EHR subscriptions document, from one read; null when there is none. */
  public Future<WithStoredSubscriptions> findWithStoredSubscriptions(String clinicId, String userId) {
    return mongo.findOne(COLLECTION, of(clinicId, userId), null).map(doc -> doc == null ? null
        : new WithStoredSubscriptions(PatientDocuments.fromDocument(doc), doc.getJsonObject("ehrSubscriptions")));
  }

  /**
   * Sets the EHR subscription {@code name} if the record is still at the revision it was read at
   * (the optimistic lock of rule 26); null when another write came first.
   */
  public Future<Patient> setEhrSubscription(Patient readAt, String name, EhrSubscriptions.Subscription subscription) {
    return update(readAt, new JsonObject().put("$set", new JsonObject().put("ehrSubscriptions." + name,
        PatientDocuments.ehrSubscriptionDocument(subscription))));
  }

  /** The records of {@code userId} in every clinic, oldest first; all of them without a page. */
  public Future<List<Patient>> findOfUser(String userId, Page page) {
    return find(new JsonObject().put("userId", userId), page);
  }

  /** The records of these clinics with the given exact MRN and birth date (null: any), oldest first. */
  public Future<List<Patient>> findInClinics(Collection<String> clinicIds, String mrn, String birthDate, Page page) {
    JsonArray ids = new JsonArray();
    clinicIds.forEach(id -> ids.add(MongoJson.oid(id)));
    JsonObject query = new JsonObject().put("clinicId", new JsonObject().put("$in", ids));
    if (mrn != null) {
      query.put("mrn", mrn);
    }
    if (birthDate != null) {
      query.put("birthDate", birthDate);
    }
    return find(query, page);
  }

  /** The records holding CGM or BGM statistics with this summary id. */
  public Future<List<Patient>> findWithSummary(String summaryId) {
    JsonArray either = new JsonArray();
    PatientDocuments.SUMMARY_TYPES.forEach(stats -> either.add(new JsonObject().put("summary." + stats + ".id", summaryId)));
    return find(new JsonObject().put("$or", either), null);
  }

  /** The clinic's patients without custodian permission (the ones a clinic without clinicians loses). */
  public Future<List<Patient>> findNonCustodial(String clinicId) {
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(clinicId))
        .put("permissions.custodian", new JsonObject().put("$exists", false));
    return find(query, null);
  }

  /** The clinic's patients of these user ids (all of them when null), oldest first. */
  public Future<List<Patient>> findOfClinic(String clinicId, Collection<String> userIds) {
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    if (userIds != null) {
      query.put("userId", new JsonObject().put("$in", new JsonArray(List.copyOf(userIds))));
    }
    return find(query, null);
  }

  /** The clinic's patients with the tag, oldest first. */
  public Future<List<Patient>> findTagged(String clinicId, String tagId) {
    return find(new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("tags", MongoJson.oid(tagId)), null);
  }

  /** The clinic's patients at the site, oldest first. */
  public Future<List<Patient>> findAtSite(String clinicId, String siteId) {
    return find(new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("sites.id", MongoJson.oid(siteId)), null);
  }

  /** Adds the tag to the record (no write when it has it): repeatable. */
  public static DocumentUpdate addingTag(Patient patient, String tagId) {
    JsonObject without = new JsonObject().put("tags", new JsonObject().put("$ne", MongoJson.oid(tagId)));
    return new DocumentUpdate(patient.id(), without, new JsonObject().put("$addToSet", new JsonObject().put("tags", MongoJson.oid(tagId))));
  }

  /** Removes the tag from the record (no write when it has not got it): repeatable. */
  public static DocumentUpdate removingTag(Patient patient, String tagId) {
    JsonObject with = new JsonObject().put("tags", MongoJson.oid(tagId));
    return new DocumentUpdate(patient.id(), with, new JsonObject().put("$pull", new JsonObject().put("tags", MongoJson.oid(tagId))));
  }

  /**
   * Replaces the record's sites with {@code sites} if it still has the site {@code ifAtSiteId}
   * (its value was computed from that state; no write otherwise): repeatable.
   */
  public static DocumentUpdate replacingSites(Patient patient, String ifAtSiteId, List<Patient.Site> sites) {
    JsonObject atSite = new JsonObject().put("sites.id", MongoJson.oid(ifAtSiteId));
    return new DocumentUpdate(patient.id(), atSite,
        new JsonObject().put("$set", new JsonObject().put("sites", PatientDocuments.sitesDocument(sites))));
  }

  /** Moves the record from the tag to the site (no write when it has not got the tag): repeatable. */
  public static DocumentUpdate movingTagToSite(Patient patient, String tagId, List<Patient.Site> sites) {
    JsonObject with = new JsonObject().put("tags", MongoJson.oid(tagId));
    JsonObject update = new JsonObject()
        .put("$pull", new JsonObject().put("tags", MongoJson.oid(tagId)))
        .put("$set", new JsonObject().put("sites", PatientDocuments.sitesDocument(sites)));
    return new DocumentUpdate(patient.id(), with, update);
  }

  /**
   * Writes these updates of distinct records together (one published change per record written,
   * a few round trips for all: {@link PublishedWrites#updateEach}); the number of records written.
   */
  public Future<Integer> updateEach(List<DocumentUpdate> updates) {
    return writes.updateEach(COLLECTION, updates).map(List::size);
  }

  /** {@link #updateEach}, answering the records written by id. */
  public Future<Map<String, Patient>> updateEachReturning(List<DocumentUpdate> updates) {
    return writes.updateEach(COLLECTION, updates).map(written -> {
      Map<String, Patient> byId = new HashMap<>();
      written.forEach(document -> {
        Patient patient = PatientDocuments.fromDocument(document);
        byId.put(patient.id(), patient);
      });
      return byId;
    });
  }

  /** The clinic's patients holding any of these MRNs (one read): MRN → the user ids of its records. */
  public Future<Map<String, Set<String>>> mrnHolders(String clinicId, Collection<String> mrns) {
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(clinicId))
        .put("mrn", new JsonObject().put("$in", new JsonArray(List.copyOf(mrns))));
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setFields(new JsonObject().put("mrn", 1).put("userId", 1)))
        .map(found -> {
          Map<String, Set<String>> holders = new HashMap<>();
          found.forEach(doc -> holders.computeIfAbsent(doc.getString("mrn"), mrn -> new HashSet<>()).add(doc.getString("userId")));
          return holders;
        });
  }

  /** The clinic's records of these users (one read), by user id. */
  public Future<Map<String, Patient>> findEachByUser(String clinicId, Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return findOfClinic(clinicId, userIds).map(found -> {
      Map<String, Patient> byUser = new HashMap<>();
      found.forEach(patient -> byUser.put(patient.userId(), patient));
      return byUser;
    });
  }

  /**
   * Inserts new records of distinct users (the caller checked under the clinic's lock that the
   * clinic has none of them yet) in one batch ({@link PublishedWrites#insertEach}); per record in
   * the order given, null when inserted, else the failure: 409 when the clinic has the user as a
   * patient already, 400 when the unique MRN index refuses it.
   */
  public Future<List<Throwable>> insertEach(List<Patient> records) {
    return writes.insertEach(COLLECTION, records.stream().map(PatientDocuments::newDocument).toList())
        .map(failures -> failures.stream().map(failure -> failure == null ? null : insertFailure(failure)).toList());
  }

  /** The record as {@link #insert} and {@link #insertEach} store it (the document's defaults, such as the connection requests). */
  static Patient asStored(Patient record) {
    return PatientDocuments.fromDocument(PatientDocuments.newDocument(record));
  }

  /** Inserts the record; 409 when the clinic has the user as a patient already, 400 when the unique MRN index refuses it. */
  public Future<Patient> insert(Patient patient) {
    return findByUser(patient.clinicId(), patient.userId()).compose(existing -> existing != null
        ? Future.failedFuture(ServiceError.conflict(ALREADY_PATIENT))
        : writes.insert(COLLECTION, PatientDocuments.newDocument(patient))
            .recover(failure -> Future.failedFuture(insertFailure(failure)))
            .map(PatientDocuments::fromDocument));
  }

  private static Throwable insertFailure(Throwable failure) {
    return !MongoJson.isDuplicateKey(failure) ? failure
        : String.valueOf(failure.getMessage()).contains(UNIQUE_MRN_INDEX) ? ServiceError.badRequest(MRN_NOT_UNIQUE)
        : ServiceError.conflict(ALREADY_PATIENT);
  }

  /** Applies {@code update} if the record is still at the revision {@code current} was read at; null when it changed or is gone. */
  public Future<Patient> update(Patient current, JsonObject update) {
    return writes.update(COLLECTION, current.id(), Revision.is(current.revision()), update)
        .recover(failure -> Future.failedFuture(MongoJson.isDuplicateKey(failure)
            && String.valueOf(failure.getMessage()).contains(UNIQUE_MRN_INDEX) ? ServiceError.badRequest(MRN_NOT_UNIQUE) : failure))
        .map(PatientDocuments::fromDocument);
  }

  /** Applies {@code update} whatever the record's revision (writes whose values do not depend on what was read); null when it is gone. */
  public Future<Patient> updateAnyRevision(Patient current, JsonObject update) {
    return writes.update(COLLECTION, current.id(), new JsonObject(), update).map(PatientDocuments::fromDocument);
  }

  /**
   * Archives the record in {@code patient_deletions} ({@code deletedByUserId} may be null) with
   * the id {@code archiveId} decided by the caller, then deletes it. Repeatable: an archive
   * already written under that id is kept. When the delete fails, the archive goes again and
   * the failure is the result; null (nothing archived) when the record is gone.
   */
  public Future<Patient> archiveAndDelete(String patientId, String archiveId, String deletedByUserId,
                                          java.util.function.Supplier<Future<Void>> archived) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", MongoJson.oid(patientId)), null).compose(document -> {
      if (document == null) {
        return Future.<Patient>succeededFuture(null);
      }
      JsonObject archive = new JsonObject()
          .put("_id", MongoJson.oid(archiveId))
          .put("deletedTime", MongoJson.date(Instant.now()))
          .put("patient", document);
      if (deletedByUserId != null) {
        archive.put("deletedByUserId", deletedByUserId);
      }
      return writes.insert(DELETIONS, archive)
          .recover(failure -> MongoJson.isDuplicateKey(failure) ? Future.succeededFuture(archive) : Future.failedFuture(failure))
          .compose(written -> archived.get())
          .compose(written -> writes.delete(COLLECTION, patientId, new JsonObject())
              .recover(failure -> writes.delete(DELETIONS, archiveId, new JsonObject()).transform(undone -> Future.failedFuture(failure)))
              .compose(deleted -> deleted != null ? Future.succeededFuture(deleted)
                  : writes.delete(DELETIONS, archiveId, new JsonObject()).map((JsonObject) null)))
          .map(PatientDocuments::fromDocument);
    });
  }

  /** Whether the archive {@code archiveId} was written. */
  public Future<Boolean> archived(String archiveId) {
    return mongo.count(DELETIONS, new JsonObject().put("_id", MongoJson.oid(archiveId))).map(count -> count > 0);
  }

  /** Deletes the record (no archive: the caller wrote it); repeatable. */
  public Future<Void> deleteRecord(String patientId) {
    return writes.delete(COLLECTION, patientId, new JsonObject()).mapEmpty();
  }

  private Future<List<Patient>> find(JsonObject query, Page page) {
    FindOptions options = new FindOptions().setSort(new JsonObject().put("_id", 1));
    if (page != null) {
      page.applyTo(options);
    }
    return mongo.findWithOptions(COLLECTION, query, options)
        .map(found -> found.stream().map(PatientDocuments::fromDocument).toList());
  }

  private static JsonObject of(String clinicId, String userId) {
    return new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId);
  }
}
