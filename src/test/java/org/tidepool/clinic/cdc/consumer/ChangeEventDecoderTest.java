package org.tidepool.clinic.cdc.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonTimestamp;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.consumer.handlers.ClinicianPermissionsMail;

class ChangeEventDecoderTest {

  static String fixture(String name) throws IOException {
    try (InputStream in = ChangeEventDecoderTest.class.getResourceAsStream("/cdc/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void decodesFormatAQuotedStrictJsonWithItsBsonTypes() throws IOException {
    ChangeEvent event = ChangeEventDecoder.decode(fixture("format-a-clinician-roles-update.txt"));

    assertEquals("8266ff0a5e000000012b022c0100296e5a1004", event.id());
    assertEquals(ChangeEvent.UPDATE, event.operationType());
    assertEquals(new BsonObjectId(new ObjectId("66ff0a5e6a1b2c3d4e5f6071")), event.documentId());
    BsonDocument clinician = event.fullDocument();
    assertEquals(new BsonObjectId(new ObjectId("66ff0a5e6a1b2c3d4e5f6000")), clinician.get("clinicId"));
    assertEquals(new BsonDateTime(1727990366000L), clinician.get("updatedTime"));
    assertEquals(new BsonInt64(12345678901L), clinician.get("visits"));
    assertEquals(new BsonTimestamp(1727990366, 1), event.document().get("clusterTime"));
    assertEquals("1a2b3c4d5e", event.fullDocumentString("userId"));
    assertTrue(event.updatedFields().containsKey("rolesUpdates.1"));
    assertTrue(ClinicianPermissionsMail.rolesChanged(event.updatedFields()));
  }

  @Test
  void decodesFormatBCanonicalExtendedJson() throws IOException {
    ChangeEvent event = ChangeEventDecoder.decode(fixture("format-b-clinic-insert.json"));

    assertEquals("8266ff0b00000000022b022c0100296e5a1004", event.id());
    assertEquals(ChangeEvent.INSERT, event.operationType());
    assertEquals(new BsonObjectId(new ObjectId("66ff0b006a1b2c3d4e5f6099")), event.documentId());
    assertEquals("Riverside Diabetes Care", event.fullDocumentString("name"));
    assertEquals(new BsonDateTime(1727990528000L), event.fullDocument().get("createdTime"));
    assertEquals(0, event.fullDocument().getInt32("patientCount").getValue());
    assertEquals(0.5, event.fullDocument().getDouble("ratio").getValue());
    assertTrue(event.updatedFields().isEmpty());
  }

  @Test
  void aDeleteHasNoFullDocument() {
    ChangeEvent event = ChangeEventDecoder.decode(
        "{\"_id\": {\"_data\": \"01\"}, \"operationType\": \"delete\", \"documentKey\": {\"_id\": {\"$oid\": \"66ff0b006a1b2c3d4e5f6099\"}}, \"fullDocument\": null}");
    assertNull(event.fullDocument());
    assertEquals(ChangeEvent.DELETE, event.operationType());
  }

  @Test
  void aCopyExistingEventIsIdentifiedByTheCopiedDocument() {
    ChangeEvent event = ChangeEventDecoder.decode(
        "{\"_id\": {\"_id\": {\"$oid\": \"66ff0b006a1b2c3d4e5f6099\"}, \"copyingData\": true}, \"operationType\": \"insert\"}");
    assertEquals("66ff0b006a1b2c3d4e5f6099", event.id());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "not json", "\"not an event\"", "\"{\\\"unterminated\"", "[1, 2]", "42"})
  void garbageIsAPermanentFailure(String value) {
    assertThrows(PermanentFailure.class, () -> ChangeEventDecoder.decode(value));
  }
}
