package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.tidepool.clinic.common.ServiceError;

/**
 * Puts a legacy "clinic" account as a JSON file describes it (README "Migrating a legacy clinic
 * account") into the embedded platform database: the clinician's account with role
 * {@code clinic}, each patient's account with a seagull-like profile, and the direct shares in
 * {@code legacy_shares}. The file is the account's state: importing it again changes nothing, and
 * shares of the clinician that the file no longer lists go. An account without {@code userId} is
 * the one with its email, or a new one; every check runs before the first write.
 */
public final class LegacyAccountImport {
  private static final Pattern USER_ID = Pattern.compile("[0-9A-Za-z-]{1,64}");
  private static final Set<String> CLINICIAN_FIELDS = Set.of("userId", "email", "fullName");
  private static final Set<String> PATIENT_FIELDS = Set.of("userId", "email", "fullName", "birthday", "mrn", "permissions");

  /** A patient sharing directly with the legacy clinician; {@code userId} and {@code email} may each be null, not both. */
  public record LegacyPatient(String userId, String email, String fullName, String birthday, String mrn, Set<String> permissions) {}

  /** The legacy clinician and its patients, as the file gives them. */
  public record LegacyAccount(String userId, String email, String fullName, List<LegacyPatient> patients) {}

  /** The ids of the imported accounts (patients in the file's order) and how many accounts are new. */
  public record Imported(String clinicianId, List<String> patientIds, int newAccounts) {}

  private final MongoClient mongo;
  private final SecureRandom random = new SecureRandom();

  public LegacyAccountImport(MongoClient platformDatabase) {
    this.mongo = platformDatabase;
  }

  /** The account in the file's JSON; an {@link IllegalArgumentException} names the first problem (field path and why). */
  public static LegacyAccount parse(String json) {
    JsonObject file;
    try {
      file = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
    }
    onlyFields(file, Set.of("clinician", "patients"), "");
    JsonObject clinician = object(file, "clinician", "clinician");
    onlyFields(clinician, CLINICIAN_FIELDS, "clinician.");
    String clinicianEmail = email(clinician, "clinician.email");
    if (clinicianEmail == null) {
      throw new IllegalArgumentException("clinician.email: required");
    }
    String clinicianId = userId(clinician, "clinician.userId");
    String clinicianName = text(clinician, "fullName", "clinician.fullName", true);
    if (!(file.getValue("patients") instanceof JsonArray patients)) {
      throw new IllegalArgumentException("patients: required, an array");
    }
    Set<String> ids = new HashSet<>();
    Set<String> emails = new HashSet<>();
    ids.add(clinicianId == null ? "" : clinicianId);
    emails.add(clinicianEmail);
    List<LegacyPatient> parsed = new ArrayList<>();
    for (int i = 0; i < patients.size(); i++) {
      String at = "patients[" + i + "]";
      if (!(patients.getValue(i) instanceof JsonObject patient)) {
        throw new IllegalArgumentException(at + ": not an object");
      }
      onlyFields(patient, PATIENT_FIELDS, at + ".");
      String userId = userId(patient, at + ".userId");
      String email = email(patient, at + ".email");
      if (userId == null && email == null) {
        throw new IllegalArgumentException(at + ": needs a userId or an email");
      }
      if (userId != null && !ids.add(userId)) {
        throw new IllegalArgumentException(at + ".userId: " + userId + " is listed twice (or is the clinician's)");
      }
      if (email != null && !emails.add(email)) {
        throw new IllegalArgumentException(at + ".email: " + email + " is listed twice (or is the clinician's)");
      }
      String birthday = text(patient, "birthday", at + ".birthday", true);
      try {
        LocalDate.parse(birthday);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(at + ".birthday: not a date YYYY-MM-DD: " + birthday);
      }
      parsed.add(new LegacyPatient(userId, email, text(patient, "fullName", at + ".fullName", true), birthday,
          text(patient, "mrn", at + ".mrn", false), permissions(patient, at + ".permissions")));
    }
    return new LegacyAccount(clinicianId, clinicianEmail, clinicianName, List.copyOf(parsed));
  }

  /**
   * Writes the account, its patients and its shares; a ServiceError 409 when an email belongs to
   * another account. The directory is read once, whole: the embedded store has no index on
   * emails, and one scan is cheaper than a lookup per patient.
   */
  public Future<Imported> run(LegacyAccount account) {
    return mongo.find(EmbeddedUserDirectory.COLLECTION, new JsonObject()).compose(all -> {
      Map<String, JsonObject> existing = byId(all);
      Map<String, String> ownerOf = new HashMap<>();
      for (JsonObject owner : all) {
        String email = owner.getString("username", owner.getString("email"));
        if (email != null) {
          ownerOf.put(email.toLowerCase(Locale.ROOT), owner.getString("_id"));
        }
      }
      List<String> ids = new ArrayList<>();
      ids.add(resolve(account.userId(), account.email(), ownerOf));
      for (LegacyPatient patient : account.patients()) {
        ids.add(resolve(patient.userId(), patient.email(), ownerOf));
      }
      Set<String> taken = new HashSet<>(existing.keySet());
      Set<String> listed = new HashSet<>();
      for (String id : ids) {
        if (id != null && !listed.add(id)) {
          throw ServiceError.conflict("two entries of the file are account " + id + " (by userId or by email)");
        }
      }
      taken.addAll(listed);
      for (int i = 0; i < ids.size(); i++) {
        if (ids.get(i) == null) {
          String id;
          do {
            id = hex(5);
          } while (!taken.add(id));
          ids.set(i, id);
        }
      }
      return write(account, ids, existing);
    });
  }

  /** The given id (409 when its email is another account's), the owner of the email, or null for a new account. */
  private static String resolve(String userId, String email, Map<String, String> ownerOf) {
    String owner = email == null ? null : ownerOf.get(email);
    if (userId != null && owner != null && !owner.equals(userId)) {
      throw ServiceError.conflict(email + " belongs to account " + owner + ", not to " + userId);
    }
    return userId != null ? userId : owner;
  }

  private Future<Imported> write(LegacyAccount account, List<String> ids, Map<String, JsonObject> existing) {
    String clinicianId = ids.get(0);
    List<String> patientIds = ids.subList(1, ids.size());
    Map<String, JsonObject> accounts = new LinkedHashMap<>();
    accounts.put(clinicianId, withEmail(account.email())
        .put("roles", new JsonArray().add("clinic"))
        .put("fullName", account.fullName())
        .put("profile", new JsonObject().put("fullName", account.fullName())));
    Map<String, JsonObject> shares = new LinkedHashMap<>();
    for (int i = 0; i < patientIds.size(); i++) {
      LegacyPatient patient = account.patients().get(i);
      String patientId = patientIds.get(i);
      JsonObject details = new JsonObject().put("fullName", patient.fullName()).put("birthday", patient.birthday());
      if (patient.mrn() != null) {
        details.put("mrn", patient.mrn());
      }
      accounts.put(patientId, (patient.email() == null ? new JsonObject().put("emails", new JsonArray()) : withEmail(patient.email()))
          .put("fullName", patient.fullName())
          .put("profile", new JsonObject().put("fullName", patient.fullName()).put("patient", details)));
      JsonObject permissions = new JsonObject();
      patient.permissions().forEach(name -> permissions.put(name, new JsonObject()));
      String shareId = EmbeddedLegacyClinicians.shareId(patientId, clinicianId);
      shares.put(shareId, new JsonObject().put("_id", shareId).put("patientId", patientId).put("clinicianId", clinicianId)
          .put("permissions", permissions));
    }
    List<BulkOperation> writes = new ArrayList<>();
    int newAccounts = 0;
    for (Map.Entry<String, JsonObject> entry : accounts.entrySet()) {
      String userId = entry.getKey();
      JsonObject fields = entry.getValue();
      JsonObject current = existing.get(userId);
      if (current == null) {
        newAccounts++;
        writes.add(BulkOperation.createInsert(fields.copy().put("_id", userId)));
      } else if (!holds(current, fields)) {
        JsonObject update = new JsonObject().put("$set", fields);
        if (!fields.containsKey("username")) {
          update.put("$unset", new JsonObject().put("username", "").put("email", ""));
        }
        writes.add(BulkOperation.createUpdate(new JsonObject().put("_id", userId), update));
      }
    }
    Imported imported = new Imported(clinicianId, List.copyOf(patientIds), newAccounts);
    return bulk(EmbeddedUserDirectory.COLLECTION, writes)
        .compose(done -> mongo.find(EmbeddedLegacyClinicians.SHARES, new JsonObject().put("clinicianId", clinicianId)))
        .compose(current -> writeShares(byId(current), shares))
        .map(imported);
  }

  /** The clinician's shares become the file's: new ones inserted, changed ones replaced, unlisted ones removed. */
  private Future<Void> writeShares(Map<String, JsonObject> current, Map<String, JsonObject> wanted) {
    List<BulkOperation> writes = new ArrayList<>();
    wanted.forEach((shareId, share) -> {
      JsonObject stored = current.get(shareId);
      if (stored == null) {
        writes.add(BulkOperation.createInsert(share));
      } else if (!stored.equals(share)) {
        writes.add(BulkOperation.createReplace(new JsonObject().put("_id", shareId), share));
      }
    });
    List<String> unlisted = current.keySet().stream().filter(shareId -> !wanted.containsKey(shareId)).toList();
    return bulk(EmbeddedLegacyClinicians.SHARES, writes).compose(done -> unlisted.isEmpty() ? Future.succeededFuture()
        : mongo.removeDocuments(EmbeddedLegacyClinicians.SHARES,
            new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(unlisted)))).mapEmpty());
  }

  private Future<Void> bulk(String collection, List<BulkOperation> writes) {
    return writes.isEmpty() ? Future.succeededFuture() : mongo.bulkWrite(collection, writes).mapEmpty();
  }

  /** Whether the account has these values already (and no email left over when it should have none). */
  private static boolean holds(JsonObject current, JsonObject fields) {
    for (Map.Entry<String, Object> field : fields) {
      if (!Objects.equals(current.getValue(field.getKey()), field.getValue())) {
        return false;
      }
    }
    return fields.containsKey("username") || (current.getValue("username") == null && current.getValue("email") == null);
  }

  private static Map<String, JsonObject> byId(List<JsonObject> documents) {
    Map<String, JsonObject> byId = new HashMap<>();
    documents.forEach(document -> byId.put(document.getString("_id"), document));
    return byId;
  }

  private static JsonObject withEmail(String email) {
    return new JsonObject().put("username", email).put("email", email).put("emails", new JsonArray().add(email));
  }

  private String hex(int bytes) {
    byte[] drawn = new byte[bytes];
    random.nextBytes(drawn);
    return HexFormat.of().formatHex(drawn);
  }

  private static void onlyFields(JsonObject object, Set<String> known, String prefix) {
    for (String field : object.fieldNames()) {
      if (!known.contains(field)) {
        throw new IllegalArgumentException(prefix + field + ": unknown field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  private static JsonObject object(JsonObject parent, String field, String at) {
    if (!(parent.getValue(field) instanceof JsonObject object)) {
      throw new IllegalArgumentException(at + ": required, an object");
    }
    return object;
  }

  private static String text(JsonObject object, String field, String at, boolean required) {
    Object value = object.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException(at + ": " + (value == null ? "required" : "not a non-empty string"));
    }
    return text.trim();
  }

  private static String userId(JsonObject object, String at) {
    String userId = text(object, "userId", at, false);
    if (userId != null && !USER_ID.matcher(userId).matches()) {
      throw new IllegalArgumentException(at + ": letters, digits and '-' only (a Tidepool user id), got " + userId);
    }
    return userId;
  }

  private static String email(JsonObject object, String at) {
    String email = text(object, "email", at, false);
    if (email != null && (!email.contains("@") || email.contains(" "))) {
      throw new IllegalArgumentException(at + ": not an email address: " + email);
    }
    return email == null ? null : email.toLowerCase(Locale.ROOT);
  }

  private static Set<String> permissions(JsonObject patient, String at) {
    if (!(patient.getValue("permissions") instanceof JsonArray names) || names.isEmpty()) {
      throw new IllegalArgumentException(at + ": required, a non-empty array of " + String.join(", ", new TreeSet<>(LegacyShares.MIGRATED_PERMISSIONS)));
    }
    Set<String> permissions = new TreeSet<>();
    for (Object name : names) {
      if (!(name instanceof String text) || !LegacyShares.MIGRATED_PERMISSIONS.contains(text)) {
        throw new IllegalArgumentException(at + ": " + name + " is none of " + String.join(", ", new TreeSet<>(LegacyShares.MIGRATED_PERMISSIONS)));
      }
      permissions.add(text);
    }
    return Set.copyOf(permissions);
  }
}
