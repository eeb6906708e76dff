package org.tidepool.clinic.patientlist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoCapabilities;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.patients.Patient;
import org.tidepool.clinic.patients.PatientDocuments;
import org.tidepool.clinic.patients.PatientRepository;

/**
 * Reads pages of a clinic's patients: the page and the two counts run at once. The name order is
 * the server's {@code en} collation where it has one (probed once), else the stored key.
 */
public final class PatientList {
  private final MongoClient mongo;
  private final Future<ListTables> tables;
  private Future<Boolean> collation;

  /** {@code tables}: read off the contract on a worker thread at start-up (it is a large file for an event loop). */
  public PatientList(MongoClient mongo, Future<ListTables> tables) {
    this.mongo = mongo;
    this.tables = tables;
  }

  public PatientList(MongoClient mongo, ListTables tables) {
    this(mongo, Future.succeededFuture(tables));
  }

  /** A page of patients, the number matching and the clinic's total. */
  public record Result(List<Patient> patients, long count, long totalCount) {}

  public Future<Result> list(String clinicId, JsonObject query, Page page) {
    return tables.compose(read -> collation().compose(collates -> {
      ListQuery list = ListQuery.of(read, clinicId, query, page, collates);
      return run(list);
    }));
  }

  /**
   * The page and the counts as three queries, each on an index: on MongoDB, and on the embedded
   * store, whose indexes give the clinic's patients (and whose sorted page keeps only its best
   * documents while matching).
   */
  Future<Result> run(ListQuery list) {
    FindOptions options = list.page().applyTo(new FindOptions().setSort(list.sort()));
    if (list.byName()) {
      options.setCollation(IndexSpec.EN_STRENGTH_1);
    }
    Future<List<JsonObject>> found = mongo.findWithOptions(PatientRepository.COLLECTION, list.filter(), options);
    Future<Long> total = mongo.count(PatientRepository.COLLECTION, new JsonObject().put("clinicId", list.filter().getValue("clinicId")));
    Future<Long> count = list.everyPatient() ? total : mongo.count(PatientRepository.COLLECTION, list.filter());
    return Future.all(found, count, total).map(all -> new Result(
        found.result().stream().map(PatientDocuments::fromDocument).toList(), count.result(), total.result()));
  }

  synchronized Future<Boolean> collation() {
    if (collation == null || collation.failed()) {
      collation = MongoCapabilities.collation(mongo);
    }
    return collation;
  }
}
