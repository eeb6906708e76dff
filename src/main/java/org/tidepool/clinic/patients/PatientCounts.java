package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.Set;
import org.tidepool.clinic.clinics.ClinicDocuments;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites;

/**
 * A clinic's patient counts (§3.5): {@code total}; {@code demo} (the demo patient);
 * {@code plan}, without the demo patient and patients with a twiist data source; per provider
 * the patients with such a data source and their states (demo excluded). Cached in the clinic's
 * {@code patientCount}, refreshed after every change of its patients (the caller holds the clinic's lock),
 * together with the patients per tag and per site ({@code patientGroupCounts}, shown as
 * {@code numPatients}, D10).
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

  /**
   * Counts the clinic's patients and caches the counts on the clinic, with the patients per tag
   * and per site (one aggregate each), in one write of the clinic.
   */
  public Future<JsonObject> refresh(String clinicId) {
    Future<JsonObject> counts = count(clinicId);
    Future<Map<String, Long>> perTag = perGroup(clinicId, "tags", "$tags");
    Future<Map<String, Long>> perSite = perGroup(clinicId, "sites", "$sites.id");
    return Future.all(counts, perTag, perSite).compose(all -> writes.update(ClinicRepository.COLLECTION, clinicId, new JsonObject(),
            new JsonObject().put("$set", new JsonObject().put("patientCount", counts.result())
                .put(ClinicDocuments.GROUP_COUNTS, ClinicDocuments.groupCountsDocument(perTag.result(), perSite.result())))))
        .map(written -> counts.result());
  }

  /** The clinic's patients per value of the array {@code field} (each id counted once per patient), by hex id. */
  private Future<Map<String, Long>> perGroup(String clinicId, String field, String value) {
    JsonArray pipeline = new JsonArray()
        .add(new JsonObject().put("$match", new JsonObject().put("clinicId", MongoJson.oid(clinicId))
            .put(field + ".0", new JsonObject().put("$exists", true))))
        .add(new JsonObject().put("$project", new JsonObject().put("group", value)))
        .add(new JsonObject().put("$unwind", "$group"))
        .add(new JsonObject().put("$group", new JsonObject().put("_id", new JsonObject().put("patient", "$_id").put("group", "$group"))))
        .add(new JsonObject().put("$group", new JsonObject().put("_id", "$_id.group").put("n", new JsonObject().put("$sum", 1))));
    return mongo.aggregate(PatientRepository.COLLECTION, pipeline).collect(Collectors.toList()).map(groups -> {
      Map<String, Long> counted = new TreeMap<>();
      for (JsonObject group : groups) {
        if (group.getValue("_id") != null) {
          counted.put(MongoJson.hex(group.getValue("_id")), group.getLong("n"));
        }
      }
      return counted;
    });
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
