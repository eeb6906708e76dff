package org.tidepool.clinic.membership;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.Optional;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.platform.UserDirectory;

/**
 * What the clinic life cycle needs of the {@code patients} collection: the demo patient and
 * emptiness. Its writes are {@link PublishedWrites published}, as every patient write.
 */
public final class ClinicPatients {
  public static final String COLLECTION = "patients";

  private final MongoClient mongo;
  private final PublishedWrites writes;
  private final Optional<String> demoPatientUserId;
  private final UserDirectory users;

  public ClinicPatients(MongoClient mongo, PublishedWrites writes, Optional<String> demoPatientUserId, UserDirectory users) {
    this.mongo = mongo;
    this.writes = writes;
    this.demoPatientUserId = demoPatientUserId;
    this.users = users;
  }

  public boolean hasDemoPatient() {
    return demoPatientUserId.isPresent();
  }

  public Optional<String> demoPatientUserId() {
    return demoPatientUserId;
  }

  /**
   * Adds the demo patient as the record {@code patientId} with view permission only; migrated,
   * so that no emails are sent; its email and name are the demo user's. Repeatable: nothing
   * happens when the clinic has the demo patient already.
   */
  public Future<Void> addDemoPatient(String patientId, String clinicId, Instant createdTime) {
    if (demoPatientUserId.isEmpty()) {
      return Future.succeededFuture();
    }
    String demoUserId = demoPatientUserId.get();
    JsonObject existing = new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", demoUserId);
    return mongo.count(COLLECTION, existing).compose(count -> count > 0 ? Future.succeededFuture()
        : users.find(demoUserId).compose(demoUser -> writes.insert(COLLECTION, demoPatient(patientId, clinicId, demoUser, createdTime))
            .mapEmpty()));
  }

  private JsonObject demoPatient(String patientId, String clinicId, User demoUser, Instant createdTime) {
    JsonObject now = MongoJson.date(createdTime);
    JsonObject patient = new JsonObject()
        .put("_id", MongoJson.oid(patientId))
        .put("clinicId", MongoJson.oid(clinicId))
        .put("userId", demoPatientUserId.orElseThrow())
        .put("permissions", new JsonObject().put("view", new JsonObject()))
        .put("isMigrated", true)
        .put("createdTime", now)
        .put("updatedTime", now);
    if (demoUser != null) {
      if (demoUser.email() != null) {
        patient.put("email", demoUser.email().toLowerCase());
      }
      if (demoUser.fullName() != null) {
        patient.put("fullName", demoUser.fullName()).put(org.tidepool.clinic.mongo.NameOrder.FULL_NAME_KEY,
            org.tidepool.clinic.mongo.NameOrder.key(demoUser.fullName()));
      }
    }
    return patient;
  }

  /** Patients of the clinic other than the demo patient. */
  public Future<Long> countRealPatients(String clinicId) {
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    demoPatientUserId.ifPresent(demo -> query.put("userId", new JsonObject().put("$ne", demo)));
    return mongo.count(COLLECTION, query);
  }

  public Future<Void> removeDemoPatient(String clinicId) {
    if (demoPatientUserId.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonObject query = new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", demoPatientUserId.get());
    return mongo.find(COLLECTION, query).compose(found -> {
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject patient : found) {
        chain = chain.compose(v -> writes.delete(COLLECTION, MongoJson.hex(patient.getValue("_id")), new JsonObject()).mapEmpty());
      }
      return chain;
    });
  }
}
