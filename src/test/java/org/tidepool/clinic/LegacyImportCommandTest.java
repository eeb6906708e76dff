package org.tidepool.clinic;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.platform.EmbeddedLegacyClinicians;
import org.tidepool.clinic.platform.EmbeddedUserDirectory;
import org.tidepool.clinic.platform.LegacyClinicians;
import org.tidepool.clinic.platform.PatientProfile;
import org.tidepool.clinic.testing.PackagedDefaults;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * {@code import-legacy --file}, run as an operator runs it (a JVM of its own) on the README's
 * example file against the running service's database: the legacy clinician with role
 * {@code clinic}, its patients with their profiles and shares, found by the service's
 * CreatePatientFromUser; a second import changes nothing; a bad file or tidepool mode writes
 * nothing.
 */
@ExtendWith(TestStackExtension.class)
class LegacyImportCommandTest {
  static final Path EXAMPLE = Path.of("docs/examples/legacy-clinic.json");
  static final String CLINICIAN = "1e9ac10001";
  static TestStack stack;
  static MongoClient platformDb;

  @TempDir
  Path directory;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store"));
    platformDb = stack.platformDb();
  }

  @Test
  void theExampleAccountIsImportedAsAMigrationAndCreatePatientFromUserNeedIt() throws Exception {
    Run imported = run(EXAMPLE);

    assertThat(imported.exit()).as(imported.toString()).isZero();
    assertThat(imported.stdout()).contains("legacy clinician " + CLINICIAN + " dr.lee@legacy-clinic.example (role clinic)")
        .contains("patient 1e9a000001 ann.able@example.org shares upload,view")
        .contains("imported 3 patient(s) and their shares; 4 new account(s)");
    String ben = platformDb.findOne("users", new JsonObject().put("username", "ben.baker@example.org"), null).await().getString("_id");
    assertThat(imported.stdout()).contains("patient " + ben + " ben.baker@example.org shares note,view")
        .contains("patient 1e9a000003 - shares custodian,upload,view");

    LegacyClinicians legacy = new EmbeddedLegacyClinicians(platformDb);
    assertThat(legacy.sharedPatients(CLINICIAN).await()).isEqualTo(Map.of("1e9a000001", Set.of("view", "upload"),
        ben, Set.of("view", "note"), "1e9a000003", Set.of("custodian", "view", "upload")));
    EmbeddedUserDirectory directory = new EmbeddedUserDirectory(platformDb, new ClinicLock(stack.vertx()));
    assertThat(directory.find(CLINICIAN).await().fullName()).isEqualTo("Dr. Lee Legacy");
    assertThat(account(CLINICIAN).getJsonArray("roles")).containsExactly("clinic");
    assertThat(directory.patientProfile("1e9a000003").await())
        .isEqualTo(new PatientProfile("1e9a000003", null, "Cora Custodial", "2018-06-30", null, null));

    // the service reads the imported patient as upstream's CreatePatientFromUser reads shoreline and seagull
    String clinicianToken = stack.userToken(CLINICIAN, "dr.lee@legacy-clinic.example", "Dr. Lee Legacy");
    HttpResponse<Buffer> clinic = stack.http().post("/v1/clinics").bearerTokenAuthentication(clinicianToken)
        .sendJsonObject(new JsonObject().put("name", "Legacy Clinic").put("preferredBgUnits", "mg/dL")).await();
    assertThat(clinic.statusCode()).as(clinic.bodyAsString()).isEqualTo(200);
    String clinicId = clinic.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> patient = stack.http().post("/v1/clinics/" + clinicId + "/patients/" + ben)
        .bearerTokenAuthentication(stack.serverToken())
        .sendJsonObject(new JsonObject().put("permissions", new JsonObject().put("view", new JsonObject()).put("note", new JsonObject()))
            .put("isMigrated", true).put("legacyClinicianId", CLINICIAN)).await();
    assertThat(patient.statusCode()).as(patient.bodyAsString()).isEqualTo(200);
    JsonObject created = patient.bodyAsJsonObject();
    assertThat(created.getString("email")).isEqualTo("ben.baker@example.org");
    assertThat(created.getString("fullName")).isEqualTo("Ben Baker");
    assertThat(created.getString("birthDate")).isEqualTo("2009-10-21");
    assertThat(created.getString("mrn")).isEqualTo("LC-0002");

    Map<String, List<JsonObject>> before = snapshot();
    Run again = run(EXAMPLE);
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.stdout()).contains("patient " + ben + " ben.baker@example.org").contains("0 new account(s)");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aBadFileIsRefusedNamingTheProblemAndWritesNothing() throws Exception {
    Path file = directory.resolve("bad.json");
    Files.writeString(file, new JsonObject()
        .put("clinician", new JsonObject().put("userId", "bad0000001").put("email", "dr.bad@example.org").put("fullName", "Dr. Bad"))
        .put("patients", new JsonArray()
            .add(new JsonObject().put("userId", "bad0000002").put("email", "ok@example.org").put("fullName", "Ok")
                .put("birthday", "2010-01-01").put("permissions", new JsonArray().add("view")))
            .add(new JsonObject().put("userId", "bad0000003").put("fullName", "No Birthday").put("birthday", "01/02/2010")
                .put("permissions", new JsonArray().add("view")))).encode());

    Run refused = run(file);

    assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.stderr()).contains("patients[1].birthday: not a date YYYY-MM-DD: 01/02/2010");
    assertThat(platformDb.count("users", new JsonObject().put("_id", new JsonObject().put("$in",
        new JsonArray().add("bad0000001").add("bad0000002")))).await()).isZero();
  }

  @Test
  void anEmailOfAnotherAccountIsAConflictAndWritesNothing() throws Exception {
    platformDb.insert("users", new JsonObject().put("_id", "0ther00001").put("username", "taken@example.org")).await();
    Path file = directory.resolve("taken.json");
    Files.writeString(file, new JsonObject()
        .put("clinician", new JsonObject().put("userId", "c0nf000001").put("email", "dr.conflict@example.org").put("fullName", "Dr. C"))
        .put("patients", new JsonArray().add(new JsonObject().put("userId", "c0nf000002").put("email", "taken@example.org")
            .put("fullName", "Taken").put("birthday", "2010-01-01").put("permissions", new JsonArray().add("view")))).encode());

    Run refused = run(file);

    assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.stderr()).contains("taken@example.org belongs to account 0ther00001, not to c0nf000002");
    assertThat(platformDb.count("users", new JsonObject().put("_id", "c0nf000001")).await()).isZero();
  }

  /** The README's order on a fresh machine: the import first, into a DATA_DIR the service has not started yet. */
  @Test
  void anImportIntoAFreshDataDirStartsTheEmbeddedStoreThere() throws Exception {
    Run imported = run(EXAMPLE, new HashMap<>());
    assertThat(imported.exit()).as(imported.toString()).isZero();
    assertThat(imported.stdout()).contains("imported 3 patient(s)");
    assertThat(directory.resolve("data").resolve("mongo").resolve("mongo.mv")).exists();
    Run again = run(EXAMPLE, new HashMap<>());
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.stdout()).contains("0 new account(s)");
  }

  @Test
  void inTidepoolModeTheLegacyAccountsAreShorelinesAndNothingIsImported() throws Exception {
    Map<String, String> environment = databaseEnvironment();
    environment.put("TIDEPOOL_SHORELINE_CLIENT_ADDRESS", "http://127.0.0.1:1");
    Run refused = run(EXAMPLE, environment);
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.stderr()).contains("TIDEPOOL_SHORELINE_CLIENT_ADDRESS is set");
  }

  private static JsonObject account(String userId) {
    return platformDb.findOne("users", new JsonObject().put("_id", userId), null).await();
  }

  private static Map<String, List<JsonObject>> snapshot() {
    Map<String, List<JsonObject>> documents = new HashMap<>();
    FindOptions byId = new FindOptions().setSort(new JsonObject().put("_id", 1));
    for (String collection : List.of("users", EmbeddedLegacyClinicians.SHARES)) {
      documents.put(collection, platformDb.findWithOptions(collection, new JsonObject(), byId).await());
    }
    return documents;
  }

  record Run(int exit, String stdout, String stderr) {}

  private Run run(Path file) throws Exception {
    return run(file, databaseEnvironment());
  }

  /** The running service's store and platform database, as an operator would point the command at them. */
  private static Map<String, String> databaseEnvironment() {
    Map<String, String> environment = new HashMap<>();
    JsonObject config = stack.app().config();
    for (String key : config.fieldNames()) {
      if (key.startsWith("TIDEPOOL_STORE_") || key.equals("PLATFORM_DATABASE_NAME") || key.equals("EMBEDDED_MONGO_PORT")) {
        Object value = config.getValue(key);
        environment.put(key, value == null ? "" : String.valueOf(value));
      }
    }
    return environment;
  }

  private Run run(Path file, Map<String, String> environment) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "import-legacy", "--file", file.toAbsolutePath().toString()));
    File out = directory.resolve("stdout").toFile();
    File err = directory.resolve("stderr").toFile();
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectOutput(out).redirectError(err);
    builder.environment().keySet().removeIf(name -> PackagedDefaults.with(new JsonObject()).containsKey(name) || name.equals("CONFIG_FILE"));
    builder.environment().put("DATA_DIR", directory.resolve("data").toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("import-legacy did not finish within 90 s");
    }
    return new Run(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }
}
