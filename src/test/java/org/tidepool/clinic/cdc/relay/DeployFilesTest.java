package org.tidepool.clinic.cdc.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.app.Role;
import org.tidepool.clinic.cdc.consumer.gatekeeper.PermissionsProjection;
import org.tidepool.clinic.cdc.consumer.gatekeeper.PermissionsProjection.Projection;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.PackagedDefaults;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;
import org.yaml.snakeyaml.Yaml;

/**
 * The files under deploy/ parse, and the Kafka Connect alternative cannot drift from the relay:
 * its source connectors read exactly the collections whose topics the running relay publishes
 * (driven here by writes to every published collection), name the same topics, leave out what
 * the relay leaves out, and the sinks write gatekeeper's two projections from those topics.
 */
@ExtendWith(TestStackExtension.class)
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start();
  }

  private static List<Path> files(String... suffixes) throws IOException {
    try (Stream<Path> walk = Files.walk(DEPLOY)) {
      return walk.filter(Files::isRegularFile)
          .filter(file -> Stream.of(suffixes).anyMatch(suffix -> file.toString().endsWith(suffix)))
          .sorted().toList();
    }
  }

  private static List<JsonObject> connectors(String connectorClass) throws IOException {
    List<JsonObject> found = new ArrayList<>();
    for (Path file : files(".json")) {
      JsonObject connector = new JsonObject(Files.readString(file));
      if (connectorClass.equals(connector.getJsonObject("config").getString("connector.class"))) {
        found.add(connector);
      }
    }
    return found;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> kubernetesObjects() throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Path file : files(".yaml", ".yml")) {
      try (InputStream in = Files.newInputStream(file)) {
        new Yaml().loadAll(in).forEach(document -> objects.add((Map<String, Object>) document));
      }
    }
    return objects;
  }

  @Test
  void everyFileParses() throws IOException {
    assertThat(files(".json")).as("connector configurations").hasSizeGreaterThanOrEqualTo(6).allSatisfy(file -> {
      JsonObject connector = new JsonObject(Files.readString(file));
      assertThat(connector.getString("name") + ".json").isEqualTo(file.getFileName().toString());
      assertThat(connector.getJsonObject("config").getString("connector.class")).startsWith("com.mongodb.kafka.connect.");
    });
    assertThat(kubernetesObjects()).extracting(object -> object.get("kind")).contains("Deployment", "Service", "ConfigMap");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDeploymentsRunKnownRolesWithProbesAndAMetricsScrape() throws IOException {
    List<Map<String, Object>> deployments = kubernetesObjects().stream().filter(object -> "Deployment".equals(object.get("kind"))).toList();
    assertThat(deployments).hasSize(2);
    Set<String> roles = new java.util.TreeSet<>();
    for (Map<String, Object> deployment : deployments) {
      JsonObject spec = new JsonObject((Map<String, Object>) deployment.get("spec")).getJsonObject("template");
      assertThat(spec.getJsonObject("metadata").getJsonObject("annotations").getString("prometheus.io/path")).isEqualTo("/metrics");
      JsonObject container = spec.getJsonObject("spec").getJsonArray("containers").getJsonObject(0);
      assertThat(container.getJsonObject("readinessProbe").getJsonObject("httpGet").getString("path")).isEqualTo("/ready");
      assertThat(container.getJsonObject("livenessProbe").getJsonObject("httpGet").getString("path")).isEqualTo("/status");
      String value = container.getJsonArray("env").stream().map(JsonObject.class::cast)
          .filter(env -> "ROLES".equals(env.getString("name"))).findFirst().orElseThrow().getString("value");
      for (String role : value.split(",")) {
        roles.add(Role.of(role.trim()).configName());
      }
    }
    assertThat(roles).as("every role runs somewhere").containsExactlyInAnyOrder(
        Stream.of(Role.values()).map(Role::configName).toArray(String[]::new));
  }

  @Test
  void theSourceConnectorsReadExactlyTheCollectionsWhoseTopicsTheRelayPublishes() throws Exception {
    Set<String> published = collectionsPublishedByTheRelay();

    List<JsonObject> sources = connectors("com.mongodb.kafka.connect.MongoSourceConnector");
    assertThat(sources.stream().map(source -> source.getJsonObject("config").getString("collection")))
        .containsExactlyInAnyOrderElementsOf(published);
    for (JsonObject source : sources) {
      JsonObject config = source.getJsonObject("config");
      String coll = config.getString("collection");
      // Connect's topic: <topic.prefix>.<database>.<collection>; the relay's: <KAFKA_TOPIC_PREFIX>clinic.<collection>
      assertThat(config.getString("database")).isEqualTo("clinic");
      assertThat(connectTopic(config)).isEqualTo(relayTopic(config.getString("topic.prefix") + ".", coll));
      assertThat(config.getString("change.stream.full.document")).isEqualTo("updateLookup");
      assertThat(config.getString("value.converter")).isEqualTo("org.apache.kafka.connect.json.JsonConverter");
      assertThat(config.getString("value.converter.schemas.enable")).isEqualTo("false");
      assertThat(config.getString("key.converter.schemas.enable")).isEqualTo("false");
      assertThat(projectedAway(config)).as("left out of %s", coll).containsExactlyInAnyOrderElementsOf(
          SourcePipelines.leftOut(coll).stream()
              .flatMap(field -> Stream.of("fullDocument." + field, "updateDescription.updatedFields." + field)).toList());
    }
  }

  @Test
  void theSinksWriteGatekeepersProjectionsFromTheSourcesTopics() throws IOException {
    Map<String, String> topicOfCollection = connectors("com.mongodb.kafka.connect.MongoSourceConnector").stream()
        .map(source -> source.getJsonObject("config"))
        .collect(Collectors.toMap(config -> config.getString("collection"), DeployFilesTest::connectTopic));
    List<JsonObject> sinks = connectors("com.mongodb.kafka.connect.MongoSinkConnector");
    assertThat(sinks).hasSize(2);
    Map<Projection, String> sourceOf = Map.of(PermissionsProjection.PATIENTS, "patients", PermissionsProjection.CLINICIANS, "clinicians");
    sourceOf.forEach((projection, coll) -> {
      JsonObject sink = sinks.stream().map(s -> s.getJsonObject("config"))
          .filter(config -> projection.collection().equals(config.getString("collection"))).findFirst().orElseThrow();
      assertThat(sink.getString("database")).isEqualTo("gatekeeper");
      assertThat(sink.getString("topics")).isEqualTo(topicOfCollection.get(coll));
      assertThat(sink.getString("change.data.capture.handler")).isEqualTo("com.mongodb.kafka.connect.sink.cdc.mongodb.ChangeStreamHandler");
      assertThat(List.of(sink.getString("value.projection.list").split(","))).contains("_id").containsAll(projection.fields());
    });
  }

  private static String connectTopic(JsonObject config) {
    return config.getString("topic.prefix") + "." + config.getString("database") + "." + config.getString("collection");
  }

  private static String relayTopic(String kafkaTopicPrefix, String coll) {
    return RelayConfig.from(PackagedDefaults.settings(new JsonObject()
        .put("KAFKA_BROKERS", "kafka:9092").put("KAFKA_TOPIC_PREFIX", kafkaTopicPrefix))).topicOf(coll);
  }

  private static List<String> projectedAway(JsonObject config) {
    String pipeline = config.getString("pipeline");
    if (pipeline == null) {
      return List.of();
    }
    JsonArray stages = new JsonArray(pipeline);
    assertThat(stages).hasSize(1);
    JsonObject project = stages.getJsonObject(0).getJsonObject("$project");
    assertThat(project.stream().map(Map.Entry::getValue)).allMatch(value -> ((Number) value).intValue() == 0);
    assertThat(config.getString("startup.mode.copy.existing.pipeline")).isEqualTo(pipeline);
    return List.copyOf(project.fieldNames());
  }

  /** Writes to every collection the service publishes, then the topics the relay made of them. */
  private static Set<String> collectionsPublishedByTheRelay() throws Exception {
    String admin = String.format("%010x", ThreadLocalRandom.current().nextLong(0x10000000000L));
    String token = stack.userToken(admin, admin + "@example.org", "Deploy Admin");
    String clinicId = ok(call(HttpMethod.POST, "/v1/clinics", token,
        new JsonObject().put("name", "Deploy Clinic").put("preferredBgUnits", "mg/dL"))).getString("id");
    String patientId = ok(call(HttpMethod.POST, "/v1/clinics/" + clinicId + "/patients", token,
        new JsonObject().put("fullName", "Deploy Patient").put("birthDate", "2001-02-03"))).getString("id");
    ok(call(HttpMethod.DELETE, "/v1/clinics/" + clinicId + "/patients/" + patientId, token, null));
    ok(call(HttpMethod.DELETE, "/v1/clinics/" + clinicId, token, null));
    // a legacy clinic account's clinic and its migration
    String legacy = String.format("%010x", ThreadLocalRandom.current().nextLong(0x10000000000L));
    stack.platformDb().save("users", new JsonObject().put("_id", legacy).put("email", legacy + "@example.org")
        .put("roles", new JsonArray().add("clinic"))).await();
    String legacyClinicId = ok(call(HttpMethod.POST, "/v1/clinicians/" + legacy + "/migrate", stack.serverToken(), null)).getString("id");
    String legacyToken = stack.userToken(legacy, legacy + "@example.org", "Deploy Legacy");
    ok(call(HttpMethod.PUT, "/v1/clinics/" + legacyClinicId, legacyToken, new JsonObject().put("name", "Deploy Legacy Clinic")
        .put("address", "1 Main St").put("city", "Springfield").put("state", "CA").put("postalCode", "90000").put("country", "US")
        .put("clinicType", "provider_practice").put("preferredBgUnits", "mg/dL")));
    ok(call(HttpMethod.POST, "/v1/clinics/" + legacyClinicId + "/migrate", legacyToken, new JsonObject()));
    Eventually.await(stack.vertx(), "the relay published every change record",
        () -> stack.clinicDb().count("cdc_outbox", new JsonObject()).await() == 0);

    String prefix = stack.namespace().topicPrefix() + "clinic.";
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBrokers());
    try (Admin kafka = Admin.create(properties)) {
      return kafka.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(topic -> topic.startsWith(prefix))
          .map(topic -> topic.substring(prefix.length()))
          .collect(Collectors.toSet());
    }
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    var request = stack.http().request(method, path).putHeader("Authorization", "Bearer " + token);
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 299);
    return response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
  }
}
