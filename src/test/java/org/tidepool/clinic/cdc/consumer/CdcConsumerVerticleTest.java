package org.tidepool.clinic.cdc.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tidepool.clinic.cdc.ChangeEvents.dataOf;
import static org.tidepool.clinic.cdc.ChangeEvents.event;
import static org.tidepool.clinic.cdc.ChangeEvents.oid;
import static org.tidepool.clinic.cdc.ChangeEvents.update;

import com.mongodb.client.MongoClients;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.cdc.CdcTestConfig;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.testing.Eventually;
import org.tidepool.clinic.testing.Mailbox;
import org.tidepool.clinic.testing.Namespace;
import org.tidepool.clinic.testing.SharedServers;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TopicReader;
import org.tidepool.clinic.testing.TopicReader.Received;
import org.tidepool.clinic.testing.Mailbox.Mail;
import org.tidepool.clinic.cdc.consumer.gatekeeper.PermissionsProjection;
import org.tidepool.clinic.cdc.relay.StrictJson;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.mail.MailVerticle;
import org.tidepool.clinic.platform.ServiceAccounts;
import org.tidepool.clinic.store.StoreVerticle;
import org.tidepool.clinic.app.Domains;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.common.Actions;
import io.vertx.core.Future;
import org.tidepool.clinic.platform.EmbeddedUserDirectory;
import org.tidepool.clinic.platform.User;

@ExtendWith({VertxExtension.class, TestStackExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdcConsumerVerticleTest {
  private Vertx vertx;
  private SharedServers servers;
  private Namespace namespace;
  private String clinicsTopic;
  private String cliniciansTopic;
  private String patientsTopic;
  private String deadLetterTopic;
  private JsonObject config;
  private KafkaProducer<String, String> producer;
  private MongoClient gatekeeper;
  private EmbeddedUserDirectory users;
  private Mailbox mails;
  private MongoClient clinicDb;
  private String mailDeployment;

  @BeforeAll
  void start(Vertx vertx, SharedServers servers) throws Exception {
    this.vertx = vertx;
    this.servers = servers;
    namespace = servers.newNamespace(getClass());
    clinicsTopic = namespace.topicPrefix() + "clinic.clinics";
    cliniciansTopic = namespace.topicPrefix() + "clinic.clinicians";
    patientsTopic = namespace.topicPrefix() + "clinic.patients";
    deadLetterTopic = namespace.id() + "-clinic-worker-dl";
    config = CdcTestConfig.load(vertx, servers.kafkaBrokers(), servers.mongoAddress(), namespace, new JsonObject()
        .put("SMTP_HOST", "127.0.0.1")
        .put("SMTP_PORT", servers.smtp().smtpPort())
        .put("CDC_RETRY_ATTEMPTS", 3)
        .put("CDC_RETRY_INITIAL_DELAY_MS", 10)
        .put("CDC_RETRY_MAX_DELAY_MS", 40));
    JsonObject mongo = config.getJsonObject("mongo");
    gatekeeper = MongoClient.createShared(vertx, mongo.copy().put("db_name", namespace.gatekeeperDatabase()), "test-gatekeeper");
    MongoClient platformDb = MongoClient.createShared(vertx, mongo.copy().put("db_name", namespace.platformDatabase()), "test-platform");
    users = new EmbeddedUserDirectory(platformDb, new ClinicLock(vertx));
    clinicDb = MongoClient.createShared(vertx, mongo, "test-clinic");
    mails = new Mailbox(vertx, servers.smtp().greenMail(), namespace.senderAddress());
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBrokers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    ServiceAccounts noServiceAccounts = (clientId, secret) -> Future.failedFuture("no service accounts in this test");
    vertx.deployVerticle(new StoreVerticle(new Domains(users, noServiceAccounts)), new DeploymentOptions().setConfig(config)).await();
    mailDeployment = vertx.deployVerticle(new MailVerticle(), new DeploymentOptions().setConfig(config)).await();
    vertx.deployVerticle(new CdcConsumerVerticle(users, users, org.tidepool.clinic.platform.WorkerPorts.embedded(platformDb)), new DeploymentOptions().setConfig(config)).await();
  }

  @AfterAll
  void stop() {
    producer.close();
  }

  @Test
  void aNewClinicMailsItsFirstAdmin() {
    String clinicId = new ObjectId().toHexString();
    users.remember(new User("admin-" + clinicId, "first-" + clinicId + "@example.org", "Ada Admin")).await();
    JsonObject insert = event("insert", "clinics", clinicId, new JsonObject()
        .put("name", "Harbour Clinic").put("admins", new JsonArray().add("admin-" + clinicId).add("second-admin")));

    publishFormatA(clinicsTopic, insert);

    Mail mail = mails.awaitFor("first-" + clinicId + "@example.org");
    assertEquals("New Tidepool Clinic account created", mail.subject());
    assertTrue(mail.text().contains("\"Harbour Clinic\""), mail.text());
    assertTrue(mail.text().contains("\"Harbour Clinic\""), mail.text());
    assertSentOnceUnder(dataOf(insert) + ":clinic_created");
  }

  @Test
  void aClinicCopiedByTheConnectorAtStartIsNotMailedAsNew() {
    String copied = new ObjectId().toHexString();
    users.remember(new User("copied-" + copied, "copied-" + copied + "@example.org", "Cora")).await();
    JsonObject copy = event("insert", "clinics", copied, new JsonObject()
        .put("name", "Existing Clinic").put("admins", new JsonArray().add("copied-" + copied)));
    copy.put("_id", new JsonObject().put("_id", oid(copied)).put("copyingData", true));
    publishFormatA(clinicsTopic, copy);
    String created = new ObjectId().toHexString();
    users.remember(new User("copied-" + created, "copied-" + created + "@example.org", "Cid")).await();
    JsonObject insert = event("insert", "clinics", created, new JsonObject()
        .put("name", "New Clinic").put("admins", new JsonArray().add("copied-" + created)));
    publishFormatA(clinicsTopic, insert);

    // handled in order on the partition: once the new clinic is mailed, the copy was handled
    assertSentOnceUnder(dataOf(insert) + ":clinic_created");
    assertTrue(mails.to("copied-" + copied + "@example.org").isEmpty(), "a copied clinic is not new");
  }

  @Test
  void formatBEventsAreHandledToo() throws Exception {
    String clinicId = new ObjectId().toHexString();
    users.remember(new User("b-admin-" + clinicId, "b-" + clinicId + "@example.org", "Bea")).await();
    String canonical = "{\"_id\": {\"_data\": \"b" + clinicId + "\"}, \"operationType\": \"insert\", "
        + "\"wallTime\": {\"$date\": {\"$numberLong\": \"1727990528456\"}}, \"documentKey\": {\"_id\": {\"$oid\": \"" + clinicId + "\"}}, "
        + "\"fullDocument\": {\"_id\": {\"$oid\": \"" + clinicId + "\"}, \"name\": \"Canonical Care\", \"admins\": [\"b-admin-" + clinicId + "\"], "
        + "\"patientCount\": {\"$numberInt\": \"0\"}}}";
    producer.send(new ProducerRecord<>(clinicsTopic, null, canonical)).get(10, TimeUnit.SECONDS);

    Mail mail = mails.awaitFor("b-" + clinicId + "@example.org");
    assertEquals("New Tidepool Clinic account created", mail.subject());
    assertTrue(mail.text().contains("\"Canonical Care\""), mail.text());
    assertSentOnceUnder("b" + clinicId + ":clinic_created");
  }

  @Test
  void clinicsWithoutAdminsOrWithUnknownAdminsMailNobody() {
    String known = new ObjectId().toHexString();
    users.remember(new User("known-" + known, "known-" + known + "@example.org", "Kim")).await();
    publishFormatA(clinicsTopic, event("insert", "clinics", new ObjectId().toHexString(),
        new JsonObject().put("name", "No Admins").put("admins", new JsonArray())));
    publishFormatA(clinicsTopic, event("insert", "clinics", new ObjectId().toHexString(),
        new JsonObject().put("name", "Stranger").put("admins", new JsonArray().add("nobody-knows-" + known))));
    publishFormatA(clinicsTopic, update("clinics", known, new JsonObject().put("name", "Renamed").put("admins", new JsonArray().add("known-" + known)),
        new JsonObject().put("name", "Renamed")));
    // handled in order on the partition: once this one is mailed, the ones before were skipped
    publishFormatA(clinicsTopic, event("insert", "clinics", known,
        new JsonObject().put("name", "Known").put("admins", new JsonArray().add("known-" + known))));

    mails.awaitFor("known-" + known + "@example.org");
    assertEquals(List.of("New Tidepool Clinic account created"),
        mails.to("known-" + known + "@example.org").stream().map(Mail::subject).toList());
    assertTrue(mails.to("known-" + known + "@example.org").get(0).text().contains("\"Known\""));
    assertTrue(mails.all().stream().noneMatch(mail -> mail.text().contains("No Admins") || mail.text().contains("Stranger")));
  }

  @Test
  void aRolesChangeMailsTheClinicianWhicheverShapeUpdatedFieldsHas() {
    String boss = "boss-" + new ObjectId().toHexString();
    String member = "member-" + new ObjectId().toHexString();
    String clinicId = createClinic(boss, "Bo Boss", "Lakeside");
    users.remember(new User(member, member + "@example.org", "Morgan Member")).await();
    JsonObject clinician = clinician(clinicId, member).put("rolesUpdates", new JsonArray()
        .add(new JsonObject().put("roles", new JsonArray().add("CLINIC_MEMBER")).put("updatedBy", "first-boss"))
        .add(new JsonObject().put("roles", new JsonArray().add("CLINIC_ADMIN")).put("updatedBy", boss)));
    JsonObject appended = update("clinicians", new ObjectId().toHexString(), clinician, new JsonObject()
        .put("roles", new JsonArray().add("CLINIC_ADMIN"))
        .put("rolesUpdates.1", clinician.getJsonArray("rolesUpdates").getJsonObject(1)));
    JsonObject rewritten = update("clinicians", new ObjectId().toHexString(), clinician, new JsonObject()
        .put("rolesUpdates", clinician.getJsonArray("rolesUpdates")));

    publishFormatA(cliniciansTopic, appended);
    publishFormatA(cliniciansTopic, rewritten);

    List<Mail> sent = mails.awaitCount(member + "@example.org", 2);
    for (Mail mail : sent) {
      assertEquals("Your Tidepool Clinician permissions have been updated", mail.subject());
      assertTrue(mail.text().contains("\"Lakeside\""), mail.text());
      assertTrue(mail.text().contains("Bo Boss has changed your permissions in the Tidepool clinic \"Lakeside\""), mail.text());
    }
    assertSentOnceUnder(dataOf(appended) + ":clinician_permissions_updated");
    assertSentOnceUnder(dataOf(rewritten) + ":clinician_permissions_updated");
  }

  @Test
  void theUpdaterNamedIsTheOneOfThisChangeEvenWhenTheLookedUpDocumentIsNewer() {
    String boss = "boss-" + new ObjectId().toHexString();
    String later = "later-" + new ObjectId().toHexString();
    String member = "member-" + new ObjectId().toHexString();
    String clinicId = createClinic(boss, "Bo Boss", "Riverside");
    users.remember(new User(later, later + "@example.org", "Lee Later")).await();
    users.remember(new User(member, member + "@example.org", "Morgan Member")).await();
    JsonObject byBoss = new JsonObject().put("roles", new JsonArray().add("CLINIC_ADMIN")).put("updatedBy", boss);
    JsonObject byLater = new JsonObject().put("roles", new JsonArray().add("CLINIC_MEMBER")).put("updatedBy", later);
    // the connector looks the document up after the change: a later roles change is already in it
    JsonObject lookedUp = clinician(clinicId, member).put("rolesUpdates", new JsonArray()
        .add(new JsonObject().put("roles", new JsonArray().add("CLINIC_MEMBER")).put("updatedBy", "first"))
        .add(byBoss).add(byLater));
    publishFormatA(cliniciansTopic, update("clinicians", new ObjectId().toHexString(), lookedUp, new JsonObject()
        .put("rolesUpdates.1", byBoss)));
    publishFormatA(cliniciansTopic, update("clinicians", new ObjectId().toHexString(), lookedUp, new JsonObject()
        .put("rolesUpdates", new JsonArray().add(lookedUp.getJsonArray("rolesUpdates").getValue(0)).add(byBoss))));

    List<Mail> sent = mails.awaitCount(member + "@example.org", 2);
    for (Mail mail : sent) {
      assertTrue(mail.text().contains("Bo Boss has changed your permissions in the Tidepool clinic \"Riverside\""), mail.text());
    }
  }

  @Test
  void anUnknownUpdaterIsCalledClinicAdministratorAndOtherChangesMailNobody() {
    String member = "member-" + new ObjectId().toHexString();
    String clinicId = createClinic("admin-" + member, "Hill Admin", "Hillside");
    users.remember(new User(member, member + "@example.org", "Mo Member")).await();
    JsonObject clinician = clinician(clinicId, member).put("rolesUpdates", new JsonArray()
        .add(new JsonObject().put("roles", new JsonArray().add("CLINIC_ADMIN")).put("updatedBy", "gone-user")));
    publishFormatA(cliniciansTopic, update("clinicians", new ObjectId().toHexString(), clinician,
        new JsonObject().put("name", "Renamed Only")));
    publishFormatA(cliniciansTopic, update("clinicians", new ObjectId().toHexString(), clinician,
        new JsonObject().put("rolesUpdates", new JsonArray())));
    JsonObject invite = clinician.copy().put("email", "invitee-" + member + "@example.org").put("inviteId", "invite-" + member);
    invite.remove("userId");
    publishFormatA(cliniciansTopic, update("clinicians", new ObjectId().toHexString(), invite,
        new JsonObject().put("rolesUpdates", invite.getJsonArray("rolesUpdates"))));
    publishFormatA(cliniciansTopic, update("clinicians", new ObjectId().toHexString(), null,
        new JsonObject().put("rolesUpdates", clinician.getJsonArray("rolesUpdates"))));
    JsonObject rolesChange = update("clinicians", new ObjectId().toHexString(), clinician,
        new JsonObject().put("rolesUpdates", clinician.getJsonArray("rolesUpdates")));
    publishFormatA(cliniciansTopic, rolesChange);

    // handled in order on the partition: once the last change is mailed, the ones before were handled
    assertSentOnceUnder(dataOf(rolesChange) + ":clinician_permissions_updated");
    List<Mail> sent = mails.to(member + "@example.org");
    assertEquals(1, sent.size(), sent.toString());
    assertTrue(sent.get(0).text().contains("Clinic administrator has changed your permissions in the Tidepool clinic \"Hillside\""),
        sent.get(0).text());
    assertTrue(mails.to("invitee-" + member + "@example.org").isEmpty(), "an invite has nobody to mail yet");
  }

  @Test
  void theGatekeeperProjectionFollowsInsertsUpdatesAndDeletes() {
    String clinicianId = new ObjectId().toHexString();
    String clinicId = new ObjectId().toHexString();
    JsonObject invite = new JsonObject().put("clinicId", oid(clinicId)).put("inviteId", "invite-1")
        .put("email", "invitee@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER"));
    publishFormatA(cliniciansTopic, event("insert", "clinicians", clinicianId, invite));

    Document inserted = awaitProjection(clinicianId, doc -> doc != null);
    assertEquals(new Document("_id", new ObjectId(clinicianId)).append("clinicId", new ObjectId(clinicId))
        .append("inviteId", "invite-1"), inserted);

    JsonObject associated = new JsonObject().put("clinicId", oid(clinicId)).put("userId", "user-7")
        .put("email", "invitee@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER"));
    publishFormatA(cliniciansTopic, update("clinicians", clinicianId, associated, new JsonObject().put("userId", "user-7")));

    Document updated = awaitProjection(clinicianId, doc -> doc != null && doc.containsKey("userId"));
    assertEquals(new Document("_id", new ObjectId(clinicianId)).append("clinicId", new ObjectId(clinicId))
        .append("userId", "user-7"), updated);
    assertEquals(1, gatekeeper.count(PermissionsProjection.CLINICIANS.collection(),
        new JsonObject().put("userId", "user-7").put("clinicId", oid(clinicId))).await());

    publishFormatA(cliniciansTopic, event("delete", "clinicians", clinicianId, null));
    awaitProjection(clinicianId, doc -> doc == null);
  }

  @Test
  void aChangeDeliveredAfterALaterOneDoesNotBringBackARemovedClinician() {
    String clinicianId = new ObjectId().toHexString();
    String clinicId = new ObjectId().toHexString();
    JsonObject member = new JsonObject().put("clinicId", oid(clinicId)).put("userId", "stale-user")
        .put("email", "stale@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER"));
    JsonObject inserted = writtenAt("10:00:01", event("insert", "clinicians", clinicianId, member));
    JsonObject earlierUpdate = writtenAt("10:00:02", update("clinicians", clinicianId, member,
        new JsonObject().put("roles", member.getJsonArray("roles"))));
    JsonObject deleted = writtenAt("10:00:03", event("delete", "clinicians", clinicianId, null));
    publishFormatA(cliniciansTopic, inserted);
    awaitProjection(clinicianId, doc -> doc != null);
    publishFormatA(cliniciansTopic, deleted);
    // delivered after the delete, as a dead-letter replay does
    publishFormatA(cliniciansTopic, earlierUpdate);
    String marker = new ObjectId().toHexString();
    // handled in order on the partition: once the marker is projected, the late update was handled
    publishFormatA(cliniciansTopic, event("insert", "clinicians", marker, member.copy().put("userId", "marker-user")));
    awaitProjection(marker, doc -> doc != null);

    assertEquals(0, gatekeeper.count(PermissionsProjection.CLINICIANS.collection(),
        new JsonObject().put("userId", "stale-user").put("clinicId", oid(clinicId))).await(), "the removed clinician has no access");

    // written later, whatever its resume token says (the relay's tokens are outbox record ids)
    JsonObject again = writtenAt("10:00:04", event("insert", "clinicians", clinicianId, member.copy().put("userId", "newer-user")));
    again.getJsonObject("_id").put("_data", "000000000000000000000000");
    publishFormatA(cliniciansTopic, again);
    assertEquals("newer-user", awaitProjection(clinicianId, doc -> doc != null).getString("userId"), "later changes still apply");
  }

  @Test
  void patientPermissionsFollowInsertsUpdatesReplacesAndDeletesWithOnlyTheFieldsGatekeeperReads() {
    String patientId = new ObjectId().toHexString();
    String clinicId = new ObjectId().toHexString();
    JsonObject all = new JsonObject().put("custodian", new JsonObject()).put("view", new JsonObject())
        .put("upload", new JsonObject()).put("note", new JsonObject());
    JsonObject patient = patient(clinicId, "pat0000001", all);
    publishFormatA(patientsTopic, event("insert", "patients", patientId, patient));

    Document inserted = awaitProjection(PermissionsProjection.PATIENTS, patientId, doc -> doc != null);
    Document allPermissions = new Document("custodian", new Document()).append("view", new Document())
        .append("upload", new Document()).append("note", new Document());
    assertEquals(new Document("_id", new ObjectId(patientId)).append("userId", "pat0000001")
        .append("clinicId", new ObjectId(clinicId)).append("permissions", allPermissions), inserted);

    JsonObject claimed = patient.copy().put("permissions", new JsonObject().put("view", new JsonObject()).put("upload", new JsonObject()));
    publishFormatA(patientsTopic, update("patients", patientId, claimed, new JsonObject().put("permissions", claimed.getJsonObject("permissions"))));
    Document updated = awaitProjection(PermissionsProjection.PATIENTS, patientId,
        doc -> doc != null && !doc.get("permissions", Document.class).containsKey("custodian"));
    assertEquals(new Document("view", new Document()).append("upload", new Document()), updated.get("permissions"));

    JsonObject replaced = patient.copy().put("permissions", new JsonObject().put("view", new JsonObject()));
    publishFormatA(patientsTopic, event("replace", "patients", patientId, replaced));
    Document afterReplace = awaitProjection(PermissionsProjection.PATIENTS, patientId,
        doc -> doc != null && !doc.get("permissions", Document.class).containsKey("upload"));
    assertEquals(new Document("view", new Document()), afterReplace.get("permissions"));
    assertEquals(new ObjectId(clinicId), afterReplace.get("clinicId"), "clinicId stays an ObjectId");

    publishFormatA(patientsTopic, event("delete", "patients", patientId, null));
    awaitProjection(PermissionsProjection.PATIENTS, patientId, doc -> doc == null);
    assertEquals(0, gatekeeper.count(PermissionsProjection.PATIENTS.collection(), new JsonObject().put("userId", "pat0000001")).await(),
        "a deleted patient record gives the clinic no access");
  }

  @Test
  void aPatientChangeDeliveredAfterALaterDeleteDoesNotBringBackTheClinicsAccess() {
    String patientId = new ObjectId().toHexString();
    String clinicId = new ObjectId().toHexString();
    JsonObject patient = patient(clinicId, "stalepat01", new JsonObject().put("view", new JsonObject()));
    publishFormatA(patientsTopic, writtenAt("11:00:01", event("insert", "patients", patientId, patient)));
    awaitProjection(PermissionsProjection.PATIENTS, patientId, doc -> doc != null);
    publishFormatA(patientsTopic, writtenAt("11:00:03", event("delete", "patients", patientId, null)));
    // delivered after the delete, as a dead-letter replay does
    publishFormatA(patientsTopic, writtenAt("11:00:02", update("patients", patientId, patient,
        new JsonObject().put("permissions", patient.getJsonObject("permissions")))));
    String marker = new ObjectId().toHexString();
    // handled in order on the partition: once the marker is projected, the late update was handled
    publishFormatA(patientsTopic, event("insert", "patients", marker, patient(clinicId, "markerpat1", new JsonObject())));
    awaitProjection(PermissionsProjection.PATIENTS, marker, doc -> doc != null);

    assertEquals(0, gatekeeper.count(PermissionsProjection.PATIENTS.collection(), new JsonObject().put("userId", "stalepat01")).await(),
        "the removed patient record stays removed");

    publishFormatA(patientsTopic, writtenAt("11:00:04", event("insert", "patients", patientId, patient)));
    assertEquals("stalepat01", awaitProjection(PermissionsProjection.PATIENTS, patientId, doc -> doc != null).getString("userId"),
        "later changes still apply");
  }

  @Test
  void gatekeeperCanLookUpPatientPermissionsByUserId() {
    List<JsonObject> indexes = gatekeeper.listIndexes(PermissionsProjection.PATIENTS.collection()).await()
        .stream().map(JsonObject.class::cast).toList();
    assertTrue(indexes.stream().anyMatch(index -> index.getJsonObject("key").equals(new JsonObject().put("userId", 1))), indexes.toString());
  }

  private static JsonObject patient(String clinicId, String userId, JsonObject permissions) {
    return new JsonObject().put("clinicId", oid(clinicId)).put("userId", userId).put("permissions", permissions)
        .put("email", userId + "@patients.example.org").put("fullName", "Patient " + userId).put("mrn", "MRN-" + userId)
        .put("birthDate", "1990-01-01").put("tags", new JsonArray());
  }

  private static JsonObject writtenAt(String time, JsonObject event) {
    return event.put("wallTime", new JsonObject().put("$date", "2026-11-26T" + time + "Z"));
  }

  @Test
  void aDuplicateDeliverySendsOneMail() {
    String clinicId = new ObjectId().toHexString();
    users.remember(new User("dup-" + clinicId, "dup-" + clinicId + "@example.org", "Dee")).await();
    JsonObject insert = event("insert", "clinics", clinicId, new JsonObject()
        .put("name", "Twice Clinic").put("admins", new JsonArray().add("dup-" + clinicId)));

    String marker = new ObjectId().toHexString();
    users.remember(new User("marker-" + marker, "marker-" + marker + "@example.org", "Mark")).await();

    publishFormatA(clinicsTopic, insert);
    publishFormatA(clinicsTopic, insert);
    // handled in order on the partition: once the marker is mailed, both deliveries were handled
    publishFormatA(clinicsTopic, event("insert", "clinics", marker,
        new JsonObject().put("name", "Marker").put("admins", new JsonArray().add("marker-" + marker))));

    mails.awaitFor("marker-" + marker + "@example.org");
    assertEquals(1, mails.to("dup-" + clinicId + "@example.org").size());
  }

  @Test
  void theOffsetOfAHandledRecordIsCommittedForTheGroup() throws Exception {
    String clinicId = new ObjectId().toHexString();
    users.remember(new User("commit-" + clinicId, "commit-" + clinicId + "@example.org", "Cy")).await();
    JsonObject insert = event("insert", "clinics", clinicId, new JsonObject()
        .put("name", "Committed Clinic").put("admins", new JsonArray().add("commit-" + clinicId)));
    long offset = producer.send(new ProducerRecord<>(clinicsTopic, StrictJson.formatA(insert.getJsonObject("documentKey")),
        StrictJson.formatA(insert))).get(10, TimeUnit.SECONDS).offset();

    mails.awaitFor("commit-" + clinicId + "@example.org");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBrokers()))) {
      Eventually.await(vertx, "offset " + (offset + 1) + " committed for " + namespace.consumerGroup(), () -> {
        try {
          OffsetAndMetadata committed = admin.listConsumerGroupOffsets(namespace.consumerGroup())
              .partitionsToOffsetAndMetadata().get().get(new TopicPartition(clinicsTopic, 0));
          return committed != null && committed.offset() >= offset + 1;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }
  }

  @Test
  void aFailingRecordIsRetriedThenDeadLetteredAndTheReplayBringsItBack() {
    String member = "member-" + new ObjectId().toHexString();
    String clinicId = createClinic("admin-" + member, "Sam Admin", "Stormy");
    users.remember(new User(member, member + "@example.org", "Stormy Member")).await();
    JsonObject clinician = clinician(clinicId, member).put("rolesUpdates", new JsonArray()
        .add(new JsonObject().put("roles", new JsonArray().add("CLINIC_ADMIN")).put("updatedBy", "admin-" + member)));
    // the mail verticle is away: every attempt fails
    vertx.undeploy(mailDeployment).await();
    JsonObject change = update("clinicians", new ObjectId().toHexString(), clinician,
        new JsonObject().put("rolesUpdates", clinician.getJsonArray("rolesUpdates")));
    publishFormatA(cliniciansTopic, change);

    Received letter = Eventually.await(vertx, "the dead letter", () -> TopicReader.readAtLeast(servers.kafkaBrokers(), deadLetterTopic, 1)
        .stream().filter(r -> r.value().contains(dataOf(change))).findFirst().orElse(null));
    assertEquals(StrictJson.formatA(change), letter.value());
    assertEquals(cliniciansTopic, letter.headers().get(DeadLetters.ORIGINAL_TOPIC));
    assertEquals("0", letter.headers().get(DeadLetters.ORIGINAL_PARTITION));
    assertTrue(letter.headers().get(DeadLetters.ERROR).contains("clinic.mail"), letter.headers().get(DeadLetters.ERROR));
    assertTrue(mails.to(member + "@example.org").isEmpty());

    mailDeployment = vertx.deployVerticle(new MailVerticle(), new DeploymentOptions().setConfig(config)).await();
    int replayed = DeadLetterReplay.replay(vertx, new Settings(config)).await();

    assertTrue(replayed >= 1, "replayed " + replayed);
    Mail mail = mails.awaitFor(member + "@example.org");
    assertEquals("Your Tidepool Clinician permissions have been updated", mail.subject());
    assertTrue(mail.text().contains("\"Stormy\""), mail.text());
    assertSentOnceUnder(dataOf(change) + ":clinician_permissions_updated");
    assertEquals(0, DeadLetterReplay.replay(vertx, new Settings(config)).await(), "a second run replays nothing again");
  }

  @Test
  void anUndecodableRecordGoesStraightToDeadLettersAndDoesNotBlockThePartition() {
    String clinicId = new ObjectId().toHexString();
    users.remember(new User("after-" + clinicId, "after-" + clinicId + "@example.org", "Al")).await();
    String garbage = "\"not json " + clinicId + "\"";
    publish(clinicsTopic, garbage);
    publishFormatA(clinicsTopic, event("insert", "clinics", clinicId,
        new JsonObject().put("name", "After Garbage").put("admins", new JsonArray().add("after-" + clinicId))));

    mails.awaitFor("after-" + clinicId + "@example.org");
    Received letter = Eventually.await(vertx, "the dead letter", () -> TopicReader.readAtLeast(servers.kafkaBrokers(), deadLetterTopic, 1)
        .stream().filter(r -> r.value().contains(clinicId)).findFirst().orElse(null));
    assertEquals(garbage, letter.value());
    assertTrue(letter.headers().get(DeadLetters.ERROR).startsWith("PermanentFailure"), letter.headers().get(DeadLetters.ERROR));
  }

  /** The mail went out under this dedup key: the mail verticle logged it (docs/design.md, clinic.mail). */
  private void assertSentOnceUnder(String dedupKey) {
    // recorded just after the SMTP server accepted the mail
    Eventually.await(vertx, "mail_log entry " + dedupKey,
        () -> clinicDb.count("mail_log", new JsonObject().put("_id", dedupKey)).await() == 1);
  }

  /** Creates a clinic through the store, as its first admin; answers the clinic id. */
  private String createClinic(String adminId, String adminName, String clinicName) {
    users.remember(new User(adminId, adminId + "@example.org", adminName)).await();
    JsonObject request = new JsonObject()
        .put("caller", new JsonObject().put("userId", adminId).put("server", false))
        .put("path", new JsonObject()).put("query", new JsonObject())
        .put("body", new JsonObject().put("name", clinicName).put("preferredBgUnits", "mg/dL"));
    JsonObject clinic = Actions.<JsonObject>request(vertx.eventBus(), Catalogue.addressOf("CreateClinic"), "CreateClinic", request).await();
    return clinic.getString("id");
  }

  private static JsonObject clinician(String clinicId, String userId) {
    return new JsonObject().put("clinicId", oid(clinicId)).put("userId", userId).put("email", userId + "@record.example.org")
        .put("name", "Name of " + userId).put("roles", new JsonArray().add("CLINIC_ADMIN"));
  }

  private Document awaitProjection(String clinicianId, java.util.function.Predicate<Document> until) {
    return awaitProjection(PermissionsProjection.CLINICIANS, clinicianId, until);
  }

  private Document awaitProjection(PermissionsProjection.Projection projection, String recordId,
                                   java.util.function.Predicate<Document> until) {
    String connection = config.getJsonObject("mongo").getString("connection_string");
    try (com.mongodb.client.MongoClient sync = MongoClients.create(connection)) {
      Document[] found = new Document[1];
      Eventually.await(vertx, projection.collection() + " of " + recordId, () -> {
        found[0] = sync.getDatabase(namespace.gatekeeperDatabase()).getCollection(projection.collection())
            .find(new Document("_id", new ObjectId(recordId))).first();
        return until.test(found[0]);
      });
      return found[0];
    }
  }

  private void publishFormatA(String topic, JsonObject event) {
    try {
      producer.send(new ProducerRecord<>(topic, StrictJson.formatA(event.getJsonObject("documentKey")), StrictJson.formatA(event)))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not publish the test event", e);
    }
  }

  private void publish(String topic, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, null, value)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not publish the test record", e);
    }
  }
}
