package org.tidepool.clinic.cdc.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.mongo.PublishedWrites;
import org.tidepool.clinic.mongo.Revision;
import org.tidepool.clinic.store.StoreFixture;

/** Change records of the store's writes: one ready event per document write, and start-up repair. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeRecorderTest {
  private MongoServer server;
  private StoreFixture store;

  @BeforeAll
  void start() {
    server = new MongoServer(new MemoryBackend());
    store = new StoreFixture("mongodb://127.0.0.1:" + server.bind().getPort()).deploy();
  }

  @AfterAll
  void stop() {
    store.close();
    server.shutdownNow();
  }

  private List<JsonObject> recordsOf(String coll, String documentId) {
    return store.mongo.find(ChangeRecorder.COLLECTION, new JsonObject().put("coll", coll)
        .put("documentKey._id", MongoJson.oid(documentId))).await()
        .stream().sorted((a, b) -> MongoJson.hex(a.getValue("_id")).compareTo(MongoJson.hex(b.getValue("_id")))).toList();
  }

  private String clinicianDocumentId(String userId) {
    return MongoJson.hex(store.mongo.findOne("clinicians", new JsonObject().put("userId", userId), null).await().getValue("_id"));
  }

  @Test
  void creatingAClinicRecordsOneInsertEventPerDocument() {
    User creator = store.user("a1a1a1a1a1", "creator@example.org", "Creator");
    JsonObject clinic = store.createClinic(creator, "Evented");
    String clinicId = clinic.getString("id");

    List<JsonObject> clinicRecords = recordsOf("clinics", clinicId);
    assertThat(clinicRecords).hasSize(1);
    JsonObject record = clinicRecords.get(0);
    assertThat(record.getString("state")).isEqualTo("ready");
    JsonObject event = record.getJsonObject("event");
    assertThat(event.getString("operationType")).isEqualTo("insert");
    assertThat(event.getJsonObject("_id").getString("_data")).isEqualTo(MongoJson.hex(record.getValue("_id")));
    assertThat(event.getJsonObject("ns")).isEqualTo(new JsonObject().put("db", store.database).put("coll", "clinics"));
    assertThat(MongoJson.hex(event.getJsonObject("documentKey").getValue("_id"))).isEqualTo(clinicId);
    assertThat(event.getJsonObject("clusterTime").getJsonObject("$timestamp").getLong("t")).isPositive();
    assertThat(MongoJson.instant(event.getValue("wallTime"))).isBeforeOrEqualTo(Instant.now());
    assertThat(event.getJsonObject("fullDocument").getString("name")).isEqualTo("Evented");
    assertThat(event.getJsonObject("fullDocument").getJsonArray("admins")).containsExactly(creator.id());
    assertThat(event.containsKey("updateDescription")).isFalse();

    List<JsonObject> clinicianRecords = recordsOf("clinicians", clinicianDocumentId(creator.id()));
    assertThat(clinicianRecords).hasSize(1);
    assertThat(clinicianRecords.get(0).getJsonObject("event").getJsonObject("fullDocument").getString("userId")).isEqualTo(creator.id());
  }

  @Test
  void aRoleChangeEventCarriesRolesUpdatesInUpdatedFields() {
    User admin = store.user("b1b1b1b1b1", "admin-b@example.org", "Admin B");
    User member = store.user("b2b2b2b2b2", "member-b@example.org", "Member B");
    String clinicId = store.createClinic(admin, "Roles").getString("id");
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("id", member.id()).put("email", member.email()).put("roles", new JsonArray().add("CLINIC_MEMBER"))));
    store.object("UpdateClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", member.id())
        .body(new JsonObject().put("email", member.email()).put("roles", new JsonArray().add("CLINIC_ADMIN"))));

    List<JsonObject> records = recordsOf("clinicians", clinicianDocumentId(member.id()));
    assertThat(records).extracting(r -> r.getJsonObject("event").getString("operationType")).containsExactly("insert", "update");
    JsonObject update = records.get(1).getJsonObject("event");
    JsonObject updatedFields = update.getJsonObject("updateDescription").getJsonObject("updatedFields");
    assertThat(updatedFields.fieldNames()).contains("roles", "rolesUpdates", "updatedTime");
    assertThat(updatedFields.getJsonArray("rolesUpdates").getJsonObject(0).getString("updatedBy")).isEqualTo(admin.id());
    assertThat(update.getJsonObject("updateDescription").getJsonArray("removedFields")).isEmpty();
    assertThat(update.getJsonObject("updateDescription").getJsonArray("truncatedArrays")).isEmpty();
    assertThat(update.getJsonObject("fullDocument").getJsonArray("roles")).containsExactly("CLINIC_ADMIN");

    // the clinic's admins changed too: insert, then one update for the promotion
    List<JsonObject> clinicRecords = recordsOf("clinics", clinicId);
    assertThat(clinicRecords).hasSize(2);
    assertThat(clinicRecords.get(1).getJsonObject("event").getJsonObject("updateDescription").getJsonObject("updatedFields")
        .getJsonArray("admins")).containsExactlyInAnyOrder(admin.id(), member.id());
  }

  @Test
  void concurrentWritesToOneDocumentAreRecordedInWriteOrder() {
    User admin = store.user("f1f1f1f1f1", "admin-f@example.org", "Admin F");
    String clinicId = store.createClinic(admin, "Busy").getString("id");
    List<io.vertx.core.Future<Object>> updates = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      updates.add(store.send("UpdateClinic", Envelope.as(admin.id()).path("clinicId", clinicId)
          .body(new JsonObject().put("name", "Name " + i))));
    }
    io.vertx.core.Future.all(updates).await();

    List<JsonObject> events = recordsOf("clinics", clinicId).stream().map(r -> r.getJsonObject("event")).toList();
    assertThat(events).hasSize(9);
    for (int i = 2; i < events.size(); i++) {
      Instant before = MongoJson.instant(events.get(i - 1).getJsonObject("fullDocument").getValue("updatedTime"));
      Instant after = MongoJson.instant(events.get(i).getJsonObject("fullDocument").getValue("updatedTime"));
      assertThat(after).isAfterOrEqualTo(before);
    }
    String stored = store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await().getString("name");
    assertThat(events.get(events.size() - 1).getJsonObject("fullDocument").getString("name")).isEqualTo(stored);
    // every update raised the revision by one, however close in time
    assertThat(events.stream().skip(1).map(e -> Revision.of(e.getJsonObject("fullDocument"))).toList())
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  @Test
  void anUpdateConditionalOnARevisionThatMovedOnChangesNothing() {
    User admin = store.user("c1c1c1c1c1", "admin-c@example.org", "Admin C");
    String clinicId = store.createClinic(admin, "Versioned").getString("id");
    ChangeRecorder recorder = new ChangeRecorder(store.vertx, store.mongo, store.database);

    JsonObject first = recorder.update("clinics", clinicId, Revision.is(0), new JsonObject().put("$set", new JsonObject().put("name", "First"))).await();
    // a second writer that read the clinic at revision 0 as well, in the same millisecond or not
    JsonObject second = recorder.update("clinics", clinicId, Revision.is(0), new JsonObject().put("$set", new JsonObject().put("name", "Second"))).await();

    assertThat(Revision.of(first)).isEqualTo(1);
    assertThat(second).isNull();
    assertThat(store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await().getString("name"))
        .isEqualTo("First");
    assertThat(recordsOf("clinics", clinicId)).extracting(r -> r.getString("operationType")).containsExactly("insert", "update");
  }

  @Test
  void aBatchOfUpdatesRecordsOneEventPerDocumentWrittenAndNoneForTheOthers() {
    ChangeRecorder recorder = new ChangeRecorder(store.vertx, store.mongo, store.database);
    String coll = "batched_documents";
    JsonObject tag = MongoJson.oid(MongoJson.newId());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonObject document = new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("name", "Document " + i)
          .put("tags", i == 2 ? new JsonArray().add(tag) : new JsonArray());
      recorder.insert(coll, document).await();
      ids.add(MongoJson.hex(document.getValue("_id")));
    }
    String vanished = MongoJson.newId();
    JsonObject withoutTag = new JsonObject().put("tags", new JsonObject().put("$ne", tag));
    JsonObject addTag = new JsonObject().put("$addToSet", new JsonObject().put("tags", tag));
    List<PublishedWrites.DocumentUpdate> updates = new ArrayList<>();
    for (String id : List.of(ids.get(0), ids.get(1), ids.get(2), vanished, ids.get(3))) {
      updates.add(new PublishedWrites.DocumentUpdate(id, withoutTag, addTag));
    }

    List<JsonObject> written = recorder.updateEach(coll, updates).await();

    assertThat(written).extracting(document -> MongoJson.hex(document.getValue("_id"))).containsExactly(ids.get(0), ids.get(1), ids.get(3));
    assertThat(written).allSatisfy(document -> assertThat(Revision.of(document)).isEqualTo(1));
    for (String id : List.of(ids.get(0), ids.get(1), ids.get(3))) {
      List<JsonObject> records = recordsOf(coll, id);
      assertThat(records).extracting(r -> r.getString("state")).containsExactly("ready", "ready");
      JsonObject event = records.get(1).getJsonObject("event");
      assertThat(event.getString("operationType")).isEqualTo("update");
      assertThat(event.getJsonObject("updateDescription").getJsonObject("updatedFields").getJsonArray("tags")).containsExactly(tag);
      assertThat(event.getJsonObject("fullDocument").getLong(Revision.FIELD)).isEqualTo(1);
    }
    // the document that had the tag is not written, so it has no change; nor has the vanished one
    assertThat(recordsOf(coll, ids.get(2))).extracting(r -> r.getJsonObject("event").getString("operationType")).containsExactly("insert");
    assertThat(recordsOf(coll, vanished)).isEmpty();
    assertThat(store.mongo.count(ChangeRecorder.COLLECTION, new JsonObject().put("state", "pending")).await()).isZero();

    // repeated, the batch writes nothing
    assertThat(recorder.updateEach(coll, updates).await()).isEmpty();
    assertThat(recordsOf(coll, ids.get(0))).hasSize(2);
  }

  @Test
  void aSingleWriteDuringABatchOfTheSameDocumentIsRecordedAfterIt() {
    ChangeRecorder recorder = new ChangeRecorder(store.vertx, store.mongo, store.database);
    String coll = "batched_documents";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      JsonObject document = new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("name", "Batched " + i);
      recorder.insert(coll, document).await();
      ids.add(MongoJson.hex(document.getValue("_id")));
    }
    List<PublishedWrites.DocumentUpdate> updates = ids.stream().map(id -> new PublishedWrites.DocumentUpdate(id, new JsonObject(),
        new JsonObject().put("$set", new JsonObject().put("batch", true)))).toList();

    Future<List<JsonObject>> batch = recorder.updateEach(coll, updates);
    Future<JsonObject> single = recorder.update(coll, ids.get(49), new JsonObject(),
        new JsonObject().put("$set", new JsonObject().put("name", "Renamed")));
    Future.all(batch, single).await();

    assertThat(batch.result()).hasSize(50);
    assertThat(Revision.of(single.result())).isEqualTo(2);
    List<JsonObject> records = recordsOf(coll, ids.get(49));
    assertThat(records).extracting(r -> r.getJsonObject("event").getJsonObject("fullDocument").getLong(Revision.FIELD, 0L))
        .containsExactly(0L, 1L, 2L);
    assertThat(records.get(2).getJsonObject("event").getJsonObject("updateDescription").getJsonObject("updatedFields")
        .getString("name")).isEqualTo("Renamed");
  }

  @Test
  void aDeleteEventHasTheKeyAndNoDocument() {
    User admin = store.user("c1c1c1c1c1", "admin-c@example.org", "Admin C");
    String clinicId = store.createClinic(admin, "Deleted").getString("id");
    String clinicianId = clinicianDocumentId(admin.id());
    store.send("DeleteClinic", Envelope.as(admin.id()).path("clinicId", clinicId)).await();

    List<JsonObject> clinicRecords = recordsOf("clinics", clinicId);
    assertThat(clinicRecords).extracting(r -> r.getJsonObject("event").getString("operationType")).containsExactly("insert", "delete");
    JsonObject delete = clinicRecords.get(1).getJsonObject("event");
    assertThat(delete.containsKey("fullDocument")).isFalse();
    assertThat(MongoJson.hex(delete.getJsonObject("documentKey").getValue("_id"))).isEqualTo(clinicId);
    assertThat(recordsOf("clinicians", clinicianId)).extracting(r -> r.getJsonObject("event").getString("operationType"))
        .containsExactly("insert", "delete");
  }

  @Test
  void aRefusedWriteRecordsNothing() {
    User admin = store.user("d1d1d1d1d1", "admin-d@example.org", "Admin D");
    String clinicId = store.createClinic(admin, "Refusing").getString("id");
    long before = store.mongo.count(ChangeRecorder.COLLECTION, new JsonObject()).await();
    store.failure("UpdateClinician", Envelope.as(admin.id()).path("clinicId", clinicId).path("clinicianId", admin.id())
        .body(new JsonObject().put("email", admin.email()).put("roles", new JsonArray().add("CLINIC_MEMBER"))));
    store.failure("CreateClinician", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("id", admin.id()).put("email", "other@example.org").put("roles", new JsonArray().add("CLINIC_MEMBER"))));
    assertThat(store.mongo.count(ChangeRecorder.COLLECTION, new JsonObject()).await()).isEqualTo(before);
  }

  @Test
  void everyListenerHearsWhenARecordIsReady() throws Exception {
    // relays in several processes: the lease holder must hear it, whichever relay that is
    // (more relays than the clinic's change records, so a point-to-point nudge misses some)
    List<Promise<Void>> nudged = new ArrayList<>();
    List<MessageConsumer<Object>> relays = new ArrayList<>();
    for (int relay = 0; relay < 5; relay++) {
      Promise<Void> heard = Promise.promise();
      nudged.add(heard);
      relays.add(store.vertx.eventBus().consumer(ChangeRecorder.RECORDS_READY, message -> heard.tryComplete()));
    }
    Future.all(relays.stream().map(MessageConsumer::completion).toList()).await();
    try {
      store.createClinic(store.user("e1e1e1e1e1", "admin-e@example.org", "Admin E"), "Nudging");
      Future.all(nudged.stream().map(Promise::future).toList()).await(30, TimeUnit.SECONDS);
    } finally {
      Future.all(relays.stream().map(MessageConsumer::unregister).toList()).await();
    }
  }

  @Test
  void startUpSettlesRecordsLeftPendingByACrash() {
    store.undeploy();
    try {
      JsonObject now = MongoJson.date(Instant.now());
      // a crash after the data write: the clinic exists, its record is pending
      String writtenId = MongoJson.newId();
      String writtenRecord = pending("clinics", writtenId, "insert", new JsonObject());
      store.mongo.insert("clinics", new JsonObject().put("_id", MongoJson.oid(writtenId)).put("name", "Crashed")
          .put("admins", new JsonArray()).put("createdTime", now).put("updatedTime", now)).await();
      // a crash before the data write: nothing happened
      String lostRecord = pending("clinics", MongoJson.newId(), "insert", new JsonObject());
      // an update that happened, and one that did not
      JsonObject later = MongoJson.date(Instant.now().plusSeconds(1));
      String updatedRecord = pending("clinics", writtenId, "update", new JsonObject().put("updatedTime", later)
          .put("updatedFields", new JsonArray().add("name").add("updatedTime")).put("removedFields", new JsonArray()));
      store.mongo.updateCollection("clinics", new JsonObject().put("_id", MongoJson.oid(writtenId)),
          new JsonObject().put("$set", new JsonObject().put("name", "Renamed").put("updatedTime", later))).await();
      String staleUpdateRecord = pending("clinics", writtenId, "update",
          new JsonObject().put("updatedTime", MongoJson.date(Instant.now().plusSeconds(60))).put("updatedFields", new JsonArray()));
    
      store.deploy();

      JsonObject inserted = record(writtenRecord);
      assertThat(inserted.getString("state")).isEqualTo("ready");
      assertThat(inserted.getJsonObject("event").getString("operationType")).isEqualTo("insert");
      assertThat(inserted.getJsonObject("event").getJsonObject("fullDocument").getString("name")).isEqualTo("Renamed");
      JsonObject updated = record(updatedRecord);
      assertThat(updated.getString("state")).isEqualTo("ready");
      assertThat(updated.getJsonObject("event").getJsonObject("updateDescription").getJsonObject("updatedFields").getString("name"))
          .isEqualTo("Renamed");
      assertThat(record(lostRecord)).isNull();
      assertThat(record(staleUpdateRecord)).isNull();
    } finally {
      if (!store.vertx.deploymentIDs().iterator().hasNext()) {
        store.deploy();
      }
    }
  }

  @Test
  void aBatchOfInsertsHasOneEventPerDocumentInsertedAndTheFailureOfTheOthers() {
    ChangeRecorder recorder = new ChangeRecorder(store.vertx, store.mongo, store.database);
    String taken = MongoJson.newId();
    store.mongo.insert("batched", new JsonObject().put("_id", MongoJson.oid(taken)).put("n", 0)).await();
    List<String> ids = List.of(MongoJson.newId(), taken, MongoJson.newId());
    List<JsonObject> documents = ids.stream().map(id -> new JsonObject().put("_id", MongoJson.oid(id)).put("n", 1)).toList();

    List<Throwable> failures = recorder.insertEach("batched", documents).await();

    assertThat(failures.get(0)).isNull();
    assertThat(MongoJson.isDuplicateKey(failures.get(1))).as(String.valueOf(failures.get(1))).isTrue();
    assertThat(failures.get(2)).isNull();
    for (String id : List.of(ids.get(0), ids.get(2))) {
      List<JsonObject> records = recordsOf("batched", id);
      assertThat(records).hasSize(1);
      assertThat(records.get(0).getString("state")).isEqualTo("ready");
      assertThat(records.get(0).getJsonObject("event").getString("operationType")).isEqualTo("insert");
    }
    assertThat(recordsOf("batched", taken)).isEmpty();
    assertThat(store.mongo.findOne("batched", new JsonObject().put("_id", MongoJson.oid(taken)), null).await().getInteger("n")).isZero();

    // without a failure: every document in, one ready insert record each
    List<String> more = List.of(MongoJson.newId(), MongoJson.newId());
    assertThat(recorder.insertEach("batched", more.stream().map(id -> new JsonObject().put("_id", MongoJson.oid(id))).toList()).await())
        .containsExactly(null, null);
    more.forEach(id -> assertThat(recordsOf("batched", id)).singleElement()
        .satisfies(record -> assertThat(record.getString("state")).isEqualTo("ready")));
  }

  @Test
  void repairLooksForTheRevisionOfTheWriteNotItsTime() {
    store.undeploy();
    try {
      JsonObject now = MongoJson.date(Instant.now());
      String clinicId = MongoJson.newId();
      store.mongo.insert("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)).put("name", "Revised")
          .put("canonicalShareCode", "REVS-REVS-REVS").put("shareCodes", new JsonArray().add("REVS-REVS-REVS")).put("admins", new JsonArray()).put("createdTime", now).put("updatedTime", now).put(Revision.FIELD, 2)).await();
      // the write of revision 2 happened; another one of the same millisecond, which would have made revision 3, did not
      JsonObject fields = new JsonObject().put("updatedFields", new JsonArray().add("name")).put("removedFields", new JsonArray());
      String shown = pending("clinics", clinicId, "update", fields.copy().put(Revision.FIELD, 2).put("updatedTime", now));
      String notShown = pending("clinics", clinicId, "update", fields.copy().put(Revision.FIELD, 3).put("updatedTime", now));

      store.deploy();

      assertThat(record(shown).getString("state")).isEqualTo("ready");
      assertThat(record(notShown)).isNull();
    } finally {
      if (!store.vertx.deploymentIDs().iterator().hasNext()) {
        store.deploy();
      }
    }
  }

  private String pending(String coll, String documentId, String operationType, JsonObject expect) {
    String recordId = MongoJson.newId();
    store.mongo.insert(ChangeRecorder.COLLECTION, new JsonObject().put("_id", MongoJson.oid(recordId)).put("state", "pending")
        .put("coll", coll).put("documentKey", new JsonObject().put("_id", MongoJson.oid(documentId)))
        .put("operationType", operationType).put("expect", expect).put("createdTime", MongoJson.date(Instant.now()))).await();
    return recordId;
  }

  private JsonObject record(String recordId) {
    return store.mongo.findOne(ChangeRecorder.COLLECTION, new JsonObject().put("_id", MongoJson.oid(recordId)), null).await();
  }
}
