package org.tidepool.clinic.patientlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The filter and sort tables come from the contract: every ListPatients parameter is served or refused by name. */
class ListTablesTest {
  static JsonObject contract() throws Exception {
    try (InputStream in = ListTablesTest.class.getClassLoader().getResourceAsStream(ListTables.CONTRACT)) {
      return JsonObject.mapFrom(new Yaml().load(in));
    }
  }

  static JsonArray listParameters(JsonObject contract) {
    return contract.getJsonObject("paths").getJsonObject("/v1/clinics/{clinicId}/patients").getJsonObject("get").getJsonArray("parameters");
  }

  @Test
  void everyParameterOfTheContractIsServed() throws Exception {
    JsonObject contract = contract();
    ListTables tables = new ListTables(contract);
    assertThat(tables.refused()).as("ListPatients parameters no rule serves").isEmpty();
    List<String> names = new ArrayList<>();
    for (Object item : listParameters(contract)) {
      JsonObject parameter = (JsonObject) item;
      String ref = parameter.getString("$ref");
      names.add(ref != null ? ref.substring(ref.lastIndexOf('/') + 1) : parameter.getString("name"));
    }
    assertThat(names).hasSize(126);
    names.forEach(name -> assertThat(ListTables.PLAIN.contains(name) || tables.ranges().containsKey(name)).as(name).isTrue());
  }

  /** D13: each summary filter on its own field of its own summary type. */
  @Test
  void everySummaryFilterNamesItsOwnField() throws Exception {
    ListTables tables = new ListTables(contract());
    tables.ranges().forEach((name, range) -> {
      String field = name.substring(name.indexOf('.') + 1);
      assertThat(name).startsWith(range.type() + ".");
      assertThat(range.kind() == ListTables.Range.Kind.NUMBER ? field : field.replaceAll("(From|To)$", "")).isEqualTo(range.field());
    });
    assertThat(tables.ranges().get("cgm.timeInExtremeHighMinutes").field()).isEqualTo("timeInExtremeHighMinutes");
    assertThat(tables.ranges().get("bgm.timeInExtremeHighPercent").field()).isEqualTo("timeInExtremeHighPercent");
    assertThat(tables.ranges()).hasSize(116);
  }

  @Test
  void aParameterAddedToTheContractIsServedWithoutCodeAndAnUnknownOneIsRefused() throws Exception {
    JsonObject contract = contract();
    contract.getJsonObject("components").getJsonObject("schemas").getJsonObject("cgmPeriod.v1").getJsonObject("properties")
        .put("timeInNewRangePercent", new JsonObject().put("type", "number"));
    JsonObject floatFilter = new JsonObject().put("$ref", "#/components/schemas/FloatFilter");
    listParameters(contract)
        .add(new JsonObject().put("name", "cgm.timeInNewRangePercent").put("in", "query").put("schema", floatFilter))
        .add(new JsonObject().put("name", "cgm.noSuchField").put("in", "query").put("schema", floatFilter))
        .add(new JsonObject().put("name", "favouriteColour").put("in", "query").put("schema", new JsonObject().put("type", "string")));
    ListTables tables = new ListTables(contract);
    assertThat(tables.ranges().get("cgm.timeInNewRangePercent")).isEqualTo(new ListTables.Range("cgm", "timeInNewRangePercent",
        ListTables.Range.Kind.NUMBER));
    assertThat(tables.summarySorts("cgm")).containsKey("timeInNewRangePercent");
    assertThat(tables.refused()).containsExactly("cgm.noSuchField", "favouriteColour");
  }

  @Test
  void summarySortsSortAfterTheirFlagWhereTheSchemaHasOne() throws Exception {
    ListTables tables = new ListTables(contract());
    assertThat(tables.summarySorts("cgm").get("timeInVeryLowPercent"))
        .isEqualTo(new ListTables.SummarySort("periods.{period}.timeInVeryLowPercent", "periods.{period}.hasTimeInVeryLowPercent"));
    assertThat(tables.summarySorts("cgm").get("timeInTargetPercentDelta").flag()).isEqualTo("periods.{period}.hasTimeInTargetPercent");
    assertThat(tables.summarySorts("bgm").get("lastData")).isEqualTo(new ListTables.SummarySort("dates.lastData", "dates.hasLastData"));
    assertThat(tables.summarySorts("cgm").get("standardDeviation").flag()).isNull();
    assertThat(tables.summarySorts("bgm")).doesNotContainKey("glucoseManagementIndicator");
  }
}
