package org.tidepool.clinic.patientlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;
import org.tidepool.clinic.bench.ListScenarios;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.Page;
import org.tidepool.clinic.mongo.MongoJson;

/**
 * The same list semantics on a real MongoDB 7 (collation en/1 instead of the stored key), and
 * every query of the benchmark answered from an index ({@code explain}); skipped without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoPatientListTest extends PatientListSemanticsTestBase {
  @Container
  static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7");

  @Override
  protected String connectionString() {
    return MONGO.getConnectionString();
  }

  @Test
  void theServerSortsNamesByItsCollation() {
    assertThat(new PatientList(store.mongo, ListTables.fromContract()).collation().await()).isTrue();
  }

  @Test
  void everyBenchmarkQueryUsesAnIndex() {
    ListTables tables = ListTables.fromContract();
    for (ListScenarios.Scenario scenario : ListScenarios.all(T1, Instant.now())) {
      JsonObject find = new JsonObject().put("find", "patients");
      if (scenario.path().equals("/tide_report")) {
        TideReport.Request request = new TideReport.Request(clinicId, "14d", List.of(T1), List.of(),
            Instant.parse(scenario.query().getString("lastDataCutoff")), List.of(), false);
        find.put("filter", TideReport.selection(request)).put("projection", TideReport.fields("14d"));
      } else {
        ListQuery query = ListQuery.of(tables, clinicId, scenario.query(), new Page(0, 10), true);
        find.put("filter", query.filter()).put("sort", query.sort()).put("limit", 10);
        if (query.byName()) {
          find.put("collation", new JsonObject().put("locale", "en").put("strength", 1));
        }
      }
      JsonObject plan = store.mongo.runCommand("explain", new JsonObject().put("explain", find).put("verbosity", "queryPlanner")).await()
          .getJsonObject("queryPlanner").getJsonObject("winningPlan");
      List<String> stages = stages(plan);
      assertThat(stages).as(scenario.name() + ": " + plan.encode()).contains("IXSCAN").doesNotContain("COLLSCAN");
    }
    assertThat(IndexSpec.EN_STRENGTH_1.getLocale()).isEqualTo("en");
  }

  @Test
  void theClinicsCountIsCountedOnAnIndex() {
    JsonObject count = new JsonObject().put("count", "patients").put("query", new JsonObject().put("clinicId", MongoJson.oid(clinicId)));
    JsonObject plan = store.mongo.runCommand("explain", new JsonObject().put("explain", count).put("verbosity", "queryPlanner")).await()
        .getJsonObject("queryPlanner").getJsonObject("winningPlan");
    assertThat(stages(plan)).doesNotContain("COLLSCAN");
  }

  private static List<String> stages(JsonObject plan) {
    List<String> stages = new ArrayList<>();
    collect(plan, stages);
    return stages;
  }

  private static void collect(Object node, List<String> stages) {
    if (node instanceof JsonObject object) {
      if (object.getValue("stage") instanceof String stage) {
        stages.add(stage);
      }
      object.forEach(entry -> collect(entry.getValue(), stages));
    } else if (node instanceof JsonArray array) {
      array.forEach(item -> collect(item, stages));
    }
  }
}
