package org.tidepool.clinic.store;

import org.tidepool.clinic.mongo.MongoCapabilities;
import org.tidepool.clinic.mongo.MongoJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.operations.ActionHandlers;
import org.tidepool.clinic.operations.Catalogue;
import org.tidepool.clinic.operations.Domain;
import org.tidepool.clinic.operations.DomainModule;

/** The verticle itself: index migration at start-up (over upstream's broken definitions), served actions, rollback of a failed creation. */
class StoreVerticleTest {
  private MongoServer server;
  private StoreFixture store;

  @BeforeEach
  void start() {
    server = new MongoServer(new MemoryBackend());
    store = new StoreFixture("mongodb://127.0.0.1:" + server.bind().getPort());
  }

  @AfterEach
  void stop() {
    store.close();
    server.shutdownNow();
  }

  private JsonObject index(String collection, String name) {
    JsonArray indexes = store.mongo.listIndexes(collection).await();
    return indexes.stream().map(JsonObject.class::cast).filter(i -> name.equals(i.getString("name"))).findFirst().orElse(null);
  }

  @Test
  void changedIndexDefinitionsAreRecreatedInsteadOfFailingStartUp() {
    store.mongo.createIndexWithOptions("clinicians", new JsonObject().put("clinicId", 1).put("role", 1),
        new IndexOptions().name("ClinicianByRole")).await();
    store.mongo.createIndexWithOptions("clinics", new JsonObject().put("canonicalShareCode", 1),
        new IndexOptions().name("UniqueCanonicalShareCode")).await();
    store.mongo.createIndexWithOptions("clinician_deletions", new JsonObject().put("clinicId,userId", 1),
        new IndexOptions().name("ClinicianDeletion")).await();
    store.mongo.createIndexWithOptions("clinicians", new JsonObject().put("clinicId", 1).put("email", "text").put("fullName", "text"),
        new IndexOptions().name("ClinicianSearch")).await();

    store.deploy();

    assertThat(index("clinicians", "ClinicianByRole").getJsonObject("key"))
        .isEqualTo(new JsonObject().put("clinicId", 1).put("roles", 1));
    assertThat(index("clinics", "UniqueCanonicalShareCode").getBoolean("unique")).isTrue();
    assertThat(index("clinician_deletions", "ClinicianDeletion").getJsonObject("key"))
        .isEqualTo(new JsonObject().put("clinician.clinicId", 1).put("clinician.userId", 1));
    // the search index covers the field clinicians have (name), not upstream's fullName
    assertThat(index("clinicians", "ClinicianSearch").getJsonObject("key"))
        .isEqualTo(new JsonObject().put("clinicId", 1).put("email", "text").put("name", "text"));
    assertThat(index("clinicians", "CliniciansByUserId")).isNotNull();
    assertThat(index("clinics", "EhrSource").getJsonObject("key"))
        .isEqualTo(new JsonObject().put("ehrSettings.sourceId", 1).put("ehrSettings.provider", 1));
    assertThat(index("clinics", "UniqueShareCodes").getBoolean("unique")).isTrue();

    // a second start on the same database finds everything in place
    store.undeploy();
    store.deploy();
    assertThat(index("clinicians", "ClinicianByRole").getJsonObject("key").fieldNames()).containsExactly("clinicId", "roles");
  }

  @Test
  void aClinicWhoseCreationFailsHalfwayIsRemovedAgain() {
    store.deploy();
    // the demo patient cannot be added: another document holds its user id under a unique index
    store.mongo.createIndexWithOptions("patients", new JsonObject().put("userId", 1), new IndexOptions().name("Blocker").unique(true)).await();
    store.mongo.insert("patients", new JsonObject().put("_id", MongoJson.oid(MongoJson.newId()))
        .put("clinicId", MongoJson.oid(MongoJson.newId())).put("userId", StoreFixture.DEMO_PATIENT)).await();
    var creator = store.user("abcabcabca", "half@example.org", "Half Way");

    ReplyException failure = store.failure("CreateClinic", Envelope.as(creator.id())
        .body(new JsonObject().put("name", "Half Written").put("preferredBgUnits", "mg/dL")));

    assertThat(failure.failureCode()).isEqualTo(500);
    assertThat(failure.getMessage()).isEqualTo("internal error");
    assertThat(store.mongo.count("clinics", new JsonObject()).await()).isZero();
    assertThat(store.mongo.count("clinicians", new JsonObject()).await()).isZero();
    assertThat(store.mongo.count("clinician_deletions", new JsonObject()).await()).isZero();
  }

  /** Makes writing the archive of a document fail: an earlier archive holds {@code field} = {@code value} under a unique index. */
  private void blockArchive(String collection, String field, String value) {
    store.mongo.createIndexWithOptions(collection, new JsonObject().put(field, 1), new IndexOptions().name("Blocker").unique(true)).await();
    String[] path = field.split("\\.");
    store.mongo.insert(collection, new JsonObject().put("_id", MongoJson.oid(MongoJson.newId()))
        .put(path[0], new JsonObject().put(path[1], value))).await();
  }

  private long count(String collection, JsonObject query) {
    return store.mongo.count(collection, query).await();
  }

  @Test
  void aClinicWhoseArchiveCannotBeWrittenIsNotDeletedAtAll() {
    store.deploy();
    var admin = store.user("abcabcabcb", "archive@example.org", "Archive Blocked");
    String clinicId = store.createClinic(admin, "Unarchivable").getString("id");
    blockArchive("clinic_deletions", "clinic.name", "Unarchivable");

    ReplyException failure = store.failure("DeleteClinic", Envelope.as(admin.id()).path("clinicId", clinicId));

    assertThat(failure.failureCode()).isEqualTo(500);
    JsonObject ofClinic = new JsonObject().put("clinicId", MongoJson.oid(clinicId));
    assertThat(store.object("GetClinic", Envelope.server().path("clinicId", clinicId)).getString("name")).isEqualTo("Unarchivable");
    assertThat(count("clinicians", ofClinic)).isEqualTo(1);
    assertThat(count("clinician_deletions", new JsonObject())).isZero();
    assertThat(count("patients", ofClinic.copy().put("userId", StoreFixture.DEMO_PATIENT))).isEqualTo(1);
  }

  @Test
  void aClinicianWhoseArchiveCannotBeWrittenStaysAMemberAndAnAdmin() {
    store.deploy();
    var first = store.user("abcabcabcc", "first@example.org", "First Admin");
    String clinicId = store.createClinic(first, "Two Admins").getString("id");
    store.object("CreateClinician", Envelope.server().path("clinicId", clinicId).body(new JsonObject()
        .put("id", "abcabcabcd").put("email", "second@example.org").put("roles", new JsonArray().add("CLINIC_ADMIN"))));
    blockArchive("clinician_deletions", "clinician.userId", "abcabcabcd");

    ReplyException failure = store.failure("DeleteClinician", Envelope.as(first.id())
        .path("clinicId", clinicId).path("clinicianId", "abcabcabcd"));

    assertThat(failure.failureCode()).isEqualTo(500);
    assertThat(store.object("GetClinician", Envelope.server().path("clinicId", clinicId).path("clinicianId", "abcabcabcd"))
        .getJsonArray("roles")).containsExactly("CLINIC_ADMIN");
    JsonObject clinic = store.mongo.findOne("clinics", new JsonObject().put("_id", MongoJson.oid(clinicId)), null).await();
    assertThat(clinic.getJsonArray("admins")).containsExactlyInAnyOrder(first.id(), "abcabcabcd");
  }

  @Test
  void anIndexThatCannotBeBuiltDoesNotStopTheStore() {
    // two clinics share a code: the unique share-code indexes cannot be built over them
    for (int i = 0; i < 2; i++) {
      store.mongo.insert("clinics", new JsonObject().put("_id", MongoJson.oid(MongoJson.newId())).put("name", "Twin " + i)
          .put("canonicalShareCode", "TWIN-TWIN-TWIN").put("shareCodes", new JsonArray().add("TWIN-TWIN-TWIN"))).await();
    }
    store.deploy();
    assertThat(index("clinics", "UniqueCanonicalShareCode")).isNull();
    assertThat(index("clinicians", "ClinicianByRole")).isNotNull();
    assertThat(store.object("Ready", new JsonObject())).isEqualTo(new JsonObject());
  }

  @Test
  void theEmbeddedServerIsDetectedAsLackingPartialIndexes() {
    assertThat(MongoCapabilities.probe(store.mongo).await().partialIndexes()).isFalse();
  }

  @Test
  void everyCatalogueActionIsServedOnItsDomainsAddressAndOthersAreRefused() {
    store.deploy();
    List<String> actions = new ArrayList<>();
    Catalogue.OPERATIONS.forEach(op -> actions.add(op.operationId()));
    Catalogue.INTERNAL_ACTIONS.forEach(internal -> actions.add(internal.name()));
    actions.add(Catalogue.READY);
    for (String action : actions) {
      try {
        store.send(action, Envelope.server()).await();
      } catch (ReplyException e) {
        assertThat(e.getMessage()).as(action).doesNotContain("unknown action");
        assertThat(e.failureCode()).as(action + ": " + e.getMessage()).isBetween(400, 499);
      }
    }
    ReplyException unknown = store.failure("DropDatabase", Envelope.server());
    assertThat(unknown.failureCode()).isEqualTo(400);
    assertThat(unknown.getMessage()).contains("unknown action");
    // one address per domain: a clinic operation is not served on the clinicians' address
    assertThatThrownBy(() -> Actions.request(store.vertx.eventBus(), Domain.CLINICIANS.address(), "GetClinic",
        Envelope.server().path("clinicId", MongoJson.newId())).await())
        .isInstanceOf(ReplyException.class).hasMessageContaining("unknown action");
  }

  @Test
  void aDomainModuleThatDoesNotServeItsCatalogueActionsStopsStartUp() {
    DomainWiring missingOne = resources -> List.of(module(Domain.CLINICS, new ActionHandlers()
        .operation("ListClinics", request -> Future.succeededFuture(new JsonArray()))));
    assertThatThrownBy(() -> store.deploy(missingOne)).hasMessageContaining("GetClinic");

    ActionHandlers all = new ActionHandlers();
    Catalogue.actionsOf(Domain.CLINICS).forEach(action -> all.operation(action, request -> Future.succeededFuture()));
    DomainWiring oneTooMany = resources -> List.of(module(Domain.CLINICS,
        all.operation("DropClinics", request -> Future.succeededFuture())));
    assertThatThrownBy(() -> store.deploy(oneTooMany)).hasMessageContaining("DropClinics");
  }

  private static DomainModule module(Domain domain, ActionHandlers handlers) {
    return new DomainModule() {
      @Override
      public Domain domain() {
        return domain;
      }

      @Override
      public List<IndexSpec> indexes() {
        return List.of();
      }

      @Override
      public ActionHandlers handlers() {
        return handlers;
      }
    };
  }
}
