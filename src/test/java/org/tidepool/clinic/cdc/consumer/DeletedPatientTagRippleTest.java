package org.tidepool.clinic.cdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.handlers.DeletedPatientTagRipple;
import org.tidepool.clinic.operations.Catalogue;

/**
 * Which clinic changes make the ripple ask the store to strip a tag (over a real event bus, the
 * store's address answered here): only updates that set {@code lastDeletedPatientTag}; a clinic
 * the store no longer knows is done, an unreachable store is retried.
 */
class DeletedPatientTagRippleTest {
  static final String CLINIC = "6b0f5aff7f18482924ad7420";
  static final String TAG = "6b0f5b027f18482924ad742e";

  Vertx vertx;
  final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger failWith = new AtomicInteger();

  @BeforeEach
  void store() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Catalogue.addressOf("DeletePatientTagFromClinicPatients"), message -> {
      requests.add(message.body().put("action", message.headers().get("action")));
      if (failWith.get() != 0) {
        message.fail(failWith.get(), "refused");
      } else {
        message.reply(null);
      }
    }).completion().await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static ChangeEvent event(String operationType, String updatedFields) {
    return new ChangeEvent(BsonDocument.parse("{_id: {_data: '01'}, operationType: '" + operationType + "', documentKey: {_id: {$oid: '"
        + CLINIC + "'}}, fullDocument: {_id: {$oid: '" + CLINIC + "'}, name: 'C', lastDeletedPatientTag: {$oid: '" + TAG + "'}}"
        + (updatedFields == null ? "" : ", updateDescription: {updatedFields: " + updatedFields + ", removedFields: []}") + "}"));
  }

  @Test
  void anUpdateThatSetsTheLastDeletedTagStripsItFromAllPatientsAsAService() {
    new DeletedPatientTagRipple(vertx.eventBus()).handle(event("update",
        "{patientTags: [], lastDeletedPatientTag: {$oid: '" + TAG + "'}, lastDeletedPatientTagName: 'Gone'}")).await();
    assertThat(requests).hasSize(1);
    JsonObject request = requests.get(0);
    assertThat(request.getString("action")).isEqualTo("DeletePatientTagFromClinicPatients");
    assertThat(request.getJsonObject("caller").getBoolean("server")).isTrue();
    assertThat(request.getJsonObject("path")).isEqualTo(new JsonObject().put("clinicId", CLINIC).put("patientTagId", TAG));
    assertThat(request.containsKey("body") && request.getValue("body") == null).isTrue();
  }

  @Test
  void otherChangesOfTheClinicStripNothing() {
    DeletedPatientTagRipple ripple = new DeletedPatientTagRipple(vertx.eventBus());
    // a later write of the clinic whose document still has the field, but did not set it
    ripple.handle(event("update", "{patientCount: {total: 1}}")).await();
    ripple.handle(event("insert", null)).await();
    ripple.handle(event("replace", null)).await();
    assertThat(requests).isEmpty();
  }

  @Test
  void aClinicGoneSinceIsDoneAndAnUnreachableStoreIsRetried() {
    DeletedPatientTagRipple ripple = new DeletedPatientTagRipple(vertx.eventBus());
    ChangeEvent deletion = event("update", "{lastDeletedPatientTag: {$oid: '" + TAG + "'}}");
    failWith.set(404);
    ripple.handle(deletion).await();
    failWith.set(503);
    assertThatThrownBy(() -> ripple.handle(deletion).await()).hasMessageContaining("refused");
    assertThat(requests).hasSize(2);
  }
}
