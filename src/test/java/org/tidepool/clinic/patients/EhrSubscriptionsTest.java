package org.tidepool.clinic.patients;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tidepool.clinic.cdc.outbox.ChangeRecorder;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.mongo.MongoJson;
import org.tidepool.clinic.platform.User;
import org.tidepool.clinic.store.Envelope;
import org.tidepool.clinic.store.StoreFixture;

/**
 * Rule 26 against the embedded Mongo: a matched EHR message updates the patient's subscription
 * once, a repeated one is ignored, concurrent updates lose no message (the optimistic lock's
 * losers read again, or answer 409), and GetPatient does not show the subscriptions (patient.v1
 * has no such field).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EhrSubscriptionsTest {
  private static final String REPORTS = "summaryAndReports";
  private MongoServer server;
  private StoreFixture store;
  private PatientRepository repository;
  private EhrSubscriptions subscriptions;
  private String clinicId;
  private int patients;

  @BeforeAll
  void start() {
    server = new MongoServer(new MemoryBackend());
    store = new StoreFixture("mongodb://127.0.0.1:" + server.bind().getPort()).deploy();
    repository = new PatientRepository(store.mongo, new ChangeRecorder(store.vertx, store.mongo, store.database));
    subscriptions = new EhrSubscriptions(repository);
    clinicId = store.createClinic(store.user("a0000000a1", "admin@example.org", "Admin"), "Subscribing").getString("id");
  }

  @AfterAll
  void stop() {
    store.close();
    server.shutdownNow();
  }

  private String newPatient() {
    User patient = store.user("b00000000" + patients++, "patient" + patients + "@example.org", "Patient " + patients);
    store.object("CreatePatientFromUser", Envelope.server().path("clinicId", clinicId).path("patientId", patient.id())
        .body(new JsonObject().put("birthDate", "2000-01-01").put("permissions", new JsonObject().put("view", new JsonObject()))));
    return patient.id();
  }

  private static EhrSubscriptions.Update order(String messageId) {
    return new EhrSubscriptions.Update(REPORTS, true, "redox", new EhrSubscriptions.MatchedMessage(messageId, "Order", "New"));
  }

  private JsonObject document(String userId) {
    return store.mongo.findOne("patients", new JsonObject().put("clinicId", MongoJson.oid(clinicId)).put("userId", userId), null).await();
  }

  private List<String> matched(String userId) {
    return document(userId).getJsonObject("ehrSubscriptions").getJsonObject(REPORTS).getJsonArray("matchedMessages").stream()
        .map(JsonObject.class::cast).map(message -> MongoJson.hex(message.getValue("id"))).toList();
  }

  private long changeRecords(String userId) {
    return store.mongo.count(ChangeRecorder.COLLECTION, new JsonObject().put("coll", "patients")
        .put("documentKey._id", document(userId).getValue("_id"))).await();
  }

  @Test
  void aRepeatedMessageIsIgnored() {
    String userId = newPatient();
    String message = MongoJson.newId();

    assertThat(subscriptions.update(clinicId, userId, order(message)).await()).isTrue();
    JsonObject first = document(userId);
    long records = changeRecords(userId);
    assertThat(subscriptions.update(clinicId, userId, order(message)).await()).isFalse();

    assertThat(matched(userId)).containsExactly(message);
    assertThat(document(userId)).isEqualTo(first);
    assertThat(changeRecords(userId)).isEqualTo(records);
    JsonObject stored = first.getJsonObject("ehrSubscriptions").getJsonObject(REPORTS);
    assertThat(stored.getBoolean("active")).isTrue();
    assertThat(stored.getString("provider")).isEqualTo("redox");
    assertThat(stored.getJsonArray("matchedMessages").getJsonObject(0).getString("dataModel")).isEqualTo("Order");
    assertThat(MongoJson.instant(stored.getValue("createdAt"))).isNotNull();
  }

  @Test
  void anotherMessageJoinsTheSubscriptionWhichKeepsItsCreationTime() throws Exception {
    String userId = newPatient();
    String first = MongoJson.newId();
    String second = MongoJson.newId();
    subscriptions.update(clinicId, userId, order(first)).await();
    JsonObject before = document(userId).getJsonObject("ehrSubscriptions").getJsonObject(REPORTS);
    Thread.sleep(5);

    assertThat(subscriptions.update(clinicId, userId, new EhrSubscriptions.Update(REPORTS, false, "redox",
        new EhrSubscriptions.MatchedMessage(second, "Order", "New"))).await()).isTrue();

    JsonObject after = document(userId).getJsonObject("ehrSubscriptions").getJsonObject(REPORTS);
    assertThat(matched(userId)).containsExactly(first, second);
    assertThat(after.getBoolean("active")).isFalse();
    assertThat(MongoJson.instant(after.getValue("createdAt"))).isEqualTo(MongoJson.instant(before.getValue("createdAt")));
    assertThat(MongoJson.instant(after.getValue("updatedAt"))).isAfter(MongoJson.instant(before.getValue("updatedAt")));
  }

  @Test
  void theSameMessageDeliveredTwiceAtOnceIsMatchedOnce() {
    String userId = newPatient();
    String message = MongoJson.newId();

    Future<Boolean> one = subscriptions.update(clinicId, userId, order(message));
    Future<Boolean> other = subscriptions.update(clinicId, userId, order(message));
    Future.all(one, other).await();

    assertThat(List.of(one.result(), other.result())).containsExactlyInAnyOrder(true, false);
    assertThat(matched(userId)).containsExactly(message);
  }

  @Test
  void concurrentMessagesAreAllMatchedOrRefusedNeverLost() {
    String userId = newPatient();
    List<String> messages = IntStream.range(0, 4).mapToObj(i -> MongoJson.newId()).toList();

    List<Future<Boolean>> updates = messages.stream().map(message -> subscriptions.update(clinicId, userId, order(message))).toList();
    Future.join(updates).otherwiseEmpty().await();

    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Future<Boolean> update = updates.get(i);
      if (update.succeeded()) {
        assertThat(update.result()).isTrue();
        accepted.add(messages.get(i));
      } else {
        // lost the race every time: the caller is told to try again
        assertThat(ServiceError.codeOf(update.cause())).isEqualTo(ServiceError.CONFLICT);
      }
    }
    // the first of the racers wins at once and the second at its second attempt at the latest
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(2);
    assertThat(matched(userId)).containsExactlyInAnyOrderElementsOf(accepted);
  }

  @Test
  void aWriteAtARevisionThatMovedOnChangesNothing() {
    String userId = newPatient();
    Patient stale = repository.findByUser(clinicId, userId).await();
    subscriptions.update(clinicId, userId, order(MongoJson.newId())).await();

    EhrSubscriptions.Subscription lost = new EhrSubscriptions.Subscription(true, "redox", List.of(), null, null);
    assertThat(repository.setEhrSubscription(stale, REPORTS, lost).await()).isNull();
    assertThat(matched(userId)).hasSize(1);
  }

  @Test
  void getPatientDoesNotShowTheSubscriptions() {
    String userId = newPatient();
    subscriptions.update(clinicId, userId, order(MongoJson.newId())).await();

    JsonObject patient = store.object("GetPatient", Envelope.server().path("clinicId", clinicId).path("patientId", userId));

    assertThat(patient.getString("id")).isEqualTo(userId);
    assertThat(patient.fieldNames()).doesNotContain("ehrSubscriptions");
    assertThat(patient.encode()).doesNotContain("matchedMessages");
  }

  @Test
  void anUnknownSubscriptionOrPatientIsRefused() {
    String userId = newPatient();
    Future<Boolean> unknownName = subscriptions.update(clinicId, userId,
        new EhrSubscriptions.Update("faxReports", true, "redox", null));
    Future<Boolean> unknownPatient = subscriptions.update(clinicId, "ffffffffff", order(MongoJson.newId()));
    Future.join(unknownName, unknownPatient).otherwiseEmpty().await();

    assertThat(ServiceError.codeOf(unknownName.cause())).isEqualTo(ServiceError.BAD_REQUEST);
    assertThat(ServiceError.codeOf(unknownPatient.cause())).isEqualTo(ServiceError.NOT_FOUND);
    assertThat(document(userId).containsKey("ehrSubscriptions")).isFalse();
  }
}
