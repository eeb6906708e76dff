package org.tidepool.clinic.cdc.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  /** A change event as the Vert.x Mongo client reads it back from {@code cdc_outbox}. */
  static final JsonObject EVENT = new JsonObject("""
      {"_id": {"_data": "66db8ce003b01ff45f5e7f8d"},
       "operationType": "insert",
       "clusterTime": {"$timestamp": {"t": 1728059814, "i": 36}},
       "wallTime": {"$date": "2024-10-04T16:36:54.766Z"},
       "ns": {"db": "clinic", "coll": "clinics"},
       "documentKey": {"_id": {"$oid": "66db8ce003b01ff45f5e7f8e"}},
       "fullDocument": {"_id": {"$oid": "66db8ce003b01ff45f5e7f8e"}, "name": "Clinic \\"A\\"",
                        "admins": ["user1"], "patientCount": 3, "createdTime": {"$date": "2024-10-04T16:36:54Z"}}}
      """);

  @Test
  void writesMongoStrictJsonWithEpochMillisDatesAndTimestamps() {
    assertEquals("{\"_id\": {\"_data\": \"66db8ce003b01ff45f5e7f8d\"}, \"operationType\": \"insert\", "
            + "\"clusterTime\": {\"$timestamp\": {\"t\": 1728059814, \"i\": 36}}, \"wallTime\": {\"$date\": 1728059814766}, "
            + "\"ns\": {\"db\": \"clinic\", \"coll\": \"clinics\"}, \"documentKey\": {\"_id\": {\"$oid\": \"66db8ce003b01ff45f5e7f8e\"}}, "
            + "\"fullDocument\": {\"_id\": {\"$oid\": \"66db8ce003b01ff45f5e7f8e\"}, \"name\": \"Clinic \\\"A\\\"\", "
            + "\"admins\": [\"user1\"], \"patientCount\": 3, \"createdTime\": {\"$date\": 1728059814000}}}",
        StrictJson.of(EVENT));
  }

  @Test
  void formatAIsTheStrictJsonAsAJsonStringLiteral() {
    String value = StrictJson.formatA(EVENT);
    assertEquals('"', value.charAt(0));
    assertEquals(StrictJson.of(EVENT), Json.decodeValue(value));
    assertEquals("\"{\\\"_id\\\": {\\\"$oid\\\": \\\"66db8ce003b01ff45f5e7f8e\\\"}}\"",
        StrictJson.formatA(EVENT.getJsonObject("documentKey")));
  }

  @Test
  void aChangeEventHasItsFieldsInTheOrderChangeStreamsGiveThem() {
    JsonObject update = new JsonObject()
        .put("_id", new JsonObject().put("_data", "66db8ce003b01ff45f5e7f8d"))
        .put("operationType", "update")
        .put("clusterTime", new JsonObject().put("$timestamp", new JsonObject().put("t", 1728059814).put("i", 36)))
        .put("wallTime", new JsonObject().put("$date", "2024-10-04T16:36:54.766Z"))
        .put("ns", new JsonObject().put("db", "clinic").put("coll", "clinicians"))
        .put("documentKey", new JsonObject().put("_id", new JsonObject().put("$oid", "66db8ce003b01ff45f5e7f8e")))
        .put("fullDocument", new JsonObject().put("_id", new JsonObject().put("$oid", "66db8ce003b01ff45f5e7f8e")).put("name", "N"))
        .put("updateDescription", new JsonObject().put("updatedFields", new JsonObject().put("name", "N"))
            .put("removedFields", new JsonArray()).put("truncatedArrays", new JsonArray()));

    // as in the connector's records (clinic-worker's fixture patients/test/fixtures/patient_event.txt)
    String expected = "{\"_id\": {\"_data\": \"66db8ce003b01ff45f5e7f8d\"}, \"operationType\": \"update\", "
        + "\"clusterTime\": {\"$timestamp\": {\"t\": 1728059814, \"i\": 36}}, \"wallTime\": {\"$date\": 1728059814766}, "
        + "\"fullDocument\": {\"_id\": {\"$oid\": \"66db8ce003b01ff45f5e7f8e\"}, \"name\": \"N\"}, "
        + "\"ns\": {\"db\": \"clinic\", \"coll\": \"clinicians\"}, \"documentKey\": {\"_id\": {\"$oid\": \"66db8ce003b01ff45f5e7f8e\"}}, "
        + "\"updateDescription\": {\"updatedFields\": {\"name\": \"N\"}, \"removedFields\": [], \"truncatedArrays\": []}}";
    assertEquals(Json.encode(expected), StrictJson.changeEvent(update));
  }
}
