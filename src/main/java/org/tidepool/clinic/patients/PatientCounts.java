package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites;

/**
 * A clinic's patient counts (§3.5): {@code total}; {@code demo} (the demo patient);
 * {@code plan}, without the demo patient and patients with a twiist data source; per provider
 * the patients with such a data source and their states (demo excluded). Cached in the clinic's
 * {@code patientCount}, refreshed after every change of its patients (the caller holds the clinic's lock).
 */
public final class PatientCounts {
  static final String TWIIST = "twiist";

  private final MongoClient mongo;
  private final PublishedWrites writes;
  private final Optional<String> demoPatientUserId;

  public PatientCounts(MongoClient mongo, PublishedWrites writes, Optional<String> demoPatientUserId) {
    this.mongo = mongo;
    this.writes = writes;
    this.demoPatientUserId = demoPatientUserId;
  }

  public Future<JsonObject> count(String clinicId) {
    JsonObject ofClinic = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    JsonObject real = ofClinic.copy();
    demoPatientUserId.ifPresent(demo -> real.put("userId", new JsonObject().put("$ne", demo)));
    Future<Long> total = mongo.count(PatientRepository.COLLECTION, ofClinic);
    Future<Long> demo = demoPatientUserId.isEmpty() ? Future.succeededFuture(0L)
        : mongo.count(PatientRepository.COLLECTION, ofClinic.copy().put("userId", demoPatientUserId.get()));
    Future<Long> plan = mongo.count(PatientRepository.COLLECTION,
        real.copy().put("dataSources.providerName", new JsonObject().put("$ne", TWIIST)));
    Future<JsonObject> providers = mongo.findWithOptions(PatientRepository.COLLECTION,
            real.copy().put("dataSources.providerName", new JsonObject().put("$exists", true)),
            new FindOptions().setFields(new JsonObject().put("dataSources", 1)))
        .map(PatientCounts::providers);
    return Future.all(total, demo, plan, providers).map(all -> new JsonObject()
        .put("total", total.result()).put("demo", demo.result()).put("plan", plan.result())
        .put("providers", providers.result()));
  }

  /** Counts the clinic's patients and caches the counts on the clinic. */
  public Future<JsonObject> refresh(String clinicId) {
    return count(clinicId).compose(counts -> writes.update(ClinicRepository.COLLECTION, clinicId, new JsonObject(),
            new JsonObject().put("$set", new JsonObject().put("patientCount", counts)))
        .map(counts));
  }

  private static JsonObject providers(java.util.List<JsonObject> patients) {
    JsonObject providers = new JsonObject();
    for (JsonObject patient : patients) {
      Set<String> counted = new HashSet<>();
      for (Object item : patient.getJsonArray("dataSources", new JsonArray())) {
        if (!(item instanceof JsonObject source) || source.getString("providerName") == null) {
          continue;
        }
        String name = source.getString("providerName");
        JsonObject provider = providers.getJsonObject(name);
        if (provider == null) {
          provider = new JsonObject().put("total", 0).put("states", new JsonObject());
          providers.put(name, provider);
        }
        if (counted.add(name)) {
          provider.put("total", provider.getInteger("total") + 1);
        }
        String state = source.getString("state", "");
        JsonObject states = provider.getJsonObject("states");
        states.put(state, states.getInteger(state, 0) + 1);
      }
    }
    return providers;
  }
}
