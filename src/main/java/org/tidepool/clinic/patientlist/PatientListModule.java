package org.tidepool.clinic.patientlist;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoCapabilities;
import org.tidepool.clinic.mongo.NameOrder;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;
import org.tidepool.clinic.patients.PatientRepository;

/**
 * The patient list in the store, and the indexes its queries use on real MongoDB: the name order
 * (collation {@code en}/1, and the key the embedded store sorts by), the summary sorts and
 * filters the screens use most (14-day CGM), the TIDE report's tag selection and upstream's
 * partial MeetingTargets indexes. The embedded store keeps none but unique ones: it scans.
 */
public final class PatientListModule implements DomainModule {
  static final List<String> SORTED_METRICS = List.of("timeInVeryLowPercent", "timeInAnyLowPercent", "timeInTargetPercent",
      "timeCGMUsePercent");
  private final PatientListOperations operations;
  private final FullNameKeyBackfill nameKeys;

  public PatientListModule(Vertx vertx, MongoClient mongo) {
    this.nameKeys = new FullNameKeyBackfill(mongo);
    this.operations = new PatientListOperations(new PatientList(mongo, vertx.executeBlocking(ListTables::fromContract)),
        new TideReport(mongo));
  }

  @Override
  public Domain domain() {
    return Domain.PATIENT_LIST;
  }

  @Override
  public List<IndexSpec> indexes() {
    String patients = PatientRepository.COLLECTION;
    List<IndexSpec> indexes = new ArrayList<>();
    indexes.add(IndexSpec.plain(patients, "PatientFullNameEn", keys("clinicId", 1, "fullName", 1, "_id", 1))
        .withCollation(IndexSpec.EN_STRENGTH_1));
    indexes.add(IndexSpec.plain(patients, "PatientFullNameKey", keys("clinicId", 1, NameOrder.FULL_NAME_KEY, 1, "_id", 1)));
    indexes.add(IndexSpec.plain(patients, "PatientTags", keys("clinicId", 1, "tags", 1, "_id", 1)));
    String period = "summary.cgmStats.periods.14d.";
    for (String metric : SORTED_METRICS) {
      String flag = "has" + Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
      indexes.add(IndexSpec.plain(patients, "CgmSort14d_" + metric, keys("clinicId", 1, period + flag, -1, period + metric, -1, "_id", 1)));
    }
    indexes.add(IndexSpec.plain(patients, "CgmSortLastData",
        keys("clinicId", 1, "summary.cgmStats.dates.hasLastData", -1, "summary.cgmStats.dates.lastData", -1, "_id", 1)));
    for (String days : List.of("1d", "7d", "14d", "30d")) {
      String metrics = "summary.cgmStats.periods." + days + ".";
      indexes.add(IndexSpec.plainWhere(patients, "MeetingTargetsIndex" + days,
          keys("clinicId", 1, "userId", 1, "tags", 1, "summary.cgmStats.dates.lastData", 1, metrics + "timeInTargetPercent", 1),
          new JsonObject().put(metrics + "timeInTargetPercent", new JsonObject().put("$gte", 0.7))
              .put(metrics + "timeCGMUsePercent", new JsonObject().put("$gte", 0.7))));
    }
    return indexes;
  }

  /** Where the server has no collation, names sort by the stored key: records without one get it. */
  @Override
  public Future<Void> migrateData(MongoCapabilities capabilities) {
    return capabilities.collation() ? Future.succeededFuture() : nameKeys.run().mapEmpty();
  }

  @Override
  public ActionHandlers handlers() {
    return operations.handlers();
  }

  private static JsonObject keys(Object... pairs) {
    JsonObject keys = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      keys.put((String) pairs[i], pairs[i + 1]);
    }
    return keys;
  }
}
