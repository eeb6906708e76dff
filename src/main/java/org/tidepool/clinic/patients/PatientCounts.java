package org.tidepool.clinic.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tidepool.clinic.clinics.ClinicDocuments;
import org.tidepool.clinic.clinics.ClinicRepository;
import org.tidepool.clinic.clinics.ClinicSettingsDocuments;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites;

/**
 * A clinic's patient counts (§3.5): {@code total}; {@code demo} (the demo patient);
 * {@code plan}, without the demo patient and patients with a twiist data source; per provider
 * the patients with such a data source and their states (demo excluded). Cached in the clinic's
 * {@code patientCount}, with the patients per tag and per site ({@code patientGroupCounts},
 * shown as {@code numPatients}, D10): moved by each change of its patients that changes their
 * share of the counts ({@link #apply}), recounted on request, after bulk changes and after an
 * interrupted change (the caller holds the clinic's lock).
 */
public final class PatientCounts {
  static final String TWIIST = "twiist";
  /** Dotted field names whose parts are non-empty and free of {@code $}, so that {@code $inc} can address them. */
  private static final Pattern FIELD_PATH = Pattern.compile("[^.$][^.]*(\\.[^.$][^.]*)*");

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
   * Moves the clinic's cached counts from {@code before} to {@code after} (either null when the
   * record does not exist on that side): one {@code $inc} of the difference of the two records'
   * shares, no write when the share did not change. The clinic is recounted instead when it has
   * no cached counts yet or a provider or state name cannot be a field name. The caller holds the
   * clinic's lock, within an intent that recounts the clinic when the change is cut short.
   */
  public Future<Void> apply(String clinicId, Patient before, Patient after) {
    return applyAll(clinicId, before == null ? List.of() : List.of(before), after == null ? List.of() : List.of(after));
  }

  /**
   * {@link #apply} of several records at once ({@code before}: the records as they were, of those
   * that existed; {@code after}: as they are, of those that exist): one {@code $inc} of the sum of
   * their differences.
   */
  public Future<Void> applyAll(String clinicId, Collection<Patient> before, Collection<Patient> after) {
    Map<String, Long> difference = new TreeMap<>();
    after.forEach(patient -> share(patient).forEach((path, n) -> difference.merge(path, n, Long::sum)));
    before.forEach(patient -> share(patient).forEach((path, n) -> difference.merge(path, -n, Long::sum)));
    difference.values().removeIf(n -> n == 0);
    if (difference.isEmpty()) {
      return Future.succeededFuture();
    }
    if (difference.keySet().stream().anyMatch(path -> !FIELD_PATH.matcher(path).matches())) {
      return refresh(clinicId).mapEmpty();
    }
    JsonObject increments = new JsonObject();
    difference.forEach(increments::put);
    return writes.update(ClinicRepository.COLLECTION, clinicId,
            new JsonObject().put(ClinicSettingsDocuments.PATIENT_COUNT, new JsonObject().put("$exists", true))
                .put(ClinicDocuments.GROUP_COUNTS, new JsonObject().put("$exists", true)),
            new JsonObject().put("$inc", increments))
        .compose(updated -> updated == null ? refresh(clinicId).mapEmpty() : withoutEmptyProviderCounts(clinicId, updated));
  }

  /** Removes the provider, state, tag and site counts a decrement left at zero, as a recount has none of them. */
  private Future<Void> withoutEmptyProviderCounts(String clinicId, JsonObject clinic) {
    String providersPath = ClinicSettingsDocuments.PATIENT_COUNT + ".providers";
    JsonObject providers = clinic.getJsonObject(ClinicSettingsDocuments.PATIENT_COUNT).getJsonObject("providers", new JsonObject());
    JsonObject unset = new JsonObject();
    for (String name : providers.fieldNames()) {
      JsonObject provider = providers.getJsonObject(name);
      if (provider.getLong("total", 0L) == 0) {
        unset.put(providersPath + "." + name, "");
        continue;
      }
      provider.getJsonObject("states", new JsonObject()).forEach(state -> {
        if (state.getValue() instanceof Number n && n.longValue() == 0) {
          unset.put(providersPath + "." + name + ".states." + state.getKey(), "");
        }
      });
    }
    JsonObject groups = clinic.getJsonObject(ClinicDocuments.GROUP_COUNTS, new JsonObject());
    for (String kind : List.of("tags", "sites")) {
      groups.getJsonObject(kind, new JsonObject()).forEach(group -> {
        if (group.getValue() instanceof Number n && n.longValue() == 0) {
          unset.put(ClinicDocuments.GROUP_COUNTS + "." + kind + "." + group.getKey(), "");
        }
      });
    }
    return unset.isEmpty() ? Future.succeededFuture()
        : writes.update(ClinicRepository.COLLECTION, clinicId, new JsonObject(), new JsonObject().put("$unset", unset)).mapEmpty();
  }

  /** Whether the record counts on the clinic's plan (the limit's count). */
  boolean onPlan(Patient patient) {
    return share(patient).containsKey(ClinicSettingsDocuments.PATIENT_COUNT + ".plan");
  }

  /** What one record adds to its clinic's counts, by the counts' field paths (nothing for null). */
  Map<String, Long> share(Patient patient) {
    Map<String, Long> share = new TreeMap<>();
    if (patient == null) {
      return share;
    }
    String counts = ClinicSettingsDocuments.PATIENT_COUNT + ".";
    share.put(counts + "total", 1L);
    String groups = ClinicDocuments.GROUP_COUNTS + ".";
    if (patient.tags() != null) {
      patient.tags().stream().distinct().forEach(tag -> share.put(groups + "tags." + tag, 1L));
    }
    if (patient.sites() != null) {
      patient.sites().stream().map(Patient.Site::id).distinct().forEach(site -> share.put(groups + "sites." + site, 1L));
    }
    if (demoPatientUserId.filter(patient.userId()::equals).isPresent()) {
      share.put(counts + "demo", 1L);
      return share;
    }
    List<Patient.DataSource> sources = patient.dataSources() == null ? List.of() : patient.dataSources();
    if (sources.stream().noneMatch(source -> TWIIST.equals(source.providerName()))) {
      share.put(counts + "plan", 1L);
    }
    for (Patient.DataSource source : sources) {
      if (source.providerName() == null) {
        continue;
      }
      String provider = counts + "providers." + source.providerName() + ".";
      share.put(provider + "total", 1L);
      share.merge(provider + "states." + (source.state() == null ? "" : source.state()), 1L, Long::sum);
    }
    return share;
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
