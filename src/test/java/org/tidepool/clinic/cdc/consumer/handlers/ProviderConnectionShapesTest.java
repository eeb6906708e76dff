package org.tidepool.clinic.cdc.consumer.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.tidepool.clinic.cdc.ChangeEvents;
import org.tidepool.clinic.cdc.consumer.ChangeEventDecoder;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.cdc.relay.StrictJson;

/** Every shape in which a change stream reports a connection request or an email change leads to the providers' mails. */
class ProviderConnectionShapesTest {
  private static final JsonObject RECORD = new JsonObject().put("userId", "0123456789").put("email", "p@example.org")
      .put("providerConnectionRequests", new JsonObject().put("dexcom", requests("dexcom")).put("abbott", requests("abbott"))
          .put("twiist", new JsonArray()));

  @Test
  void theWholeArrayUnderItsDottedKeyAsInUpstreamsFixture() {
    assertThat(ProviderConnectionMails.requestedProviders(update(new JsonObject().put("providerConnectionRequests.dexcom", requests("dexcom"))
        .put("dataSources.0.expirationTime", new JsonObject().put("$date", "2026-12-01T00:00:00Z"))))).containsExactly("dexcom");
  }

  @Test
  void theNewestElementUnderItsIndexOnly() {
    assertThat(ProviderConnectionMails.requestedProviders(update(new JsonObject()
        .put("providerConnectionRequests.abbott.0", requests("abbott").getJsonObject(0))))).containsExactly("abbott");
    assertThat(ProviderConnectionMails.requestedProviders(update(new JsonObject()
        .put("providerConnectionRequests.abbott.1", requests("abbott").getJsonObject(0))))).isEmpty();
  }

  @Test
  void theWholeObjectRewrittenNamesEveryProviderWithRequests() {
    assertThat(ProviderConnectionMails.requestedProviders(update(new JsonObject()
        .put("providerConnectionRequests", RECORD.getJsonObject("providerConnectionRequests"))))).containsExactly("dexcom", "abbott");
  }

  @Test
  void anEmailChangedOrRemovedResendsEveryRequestOfTheRecord() {
    assertThat(ProviderConnectionMails.requestedProviders(update(new JsonObject().put("email", "new@example.org"))))
        .containsExactly("dexcom", "abbott");
    JsonObject removed = ChangeEvents.update("patients", "0123456789abcdef01234567", RECORD, new JsonObject());
    removed.getJsonObject("updateDescription").put("removedFields", new JsonArray().add("email"));
    assertThat(ProviderConnectionMails.requestedProviders(decode(removed))).containsExactly("dexcom", "abbott");
  }

  @Test
  void otherUpdatesAskForNothing() {
    assertThat(ProviderConnectionMails.requestedProviders(update(new JsonObject().put("fullName", "Renamed")))).isEmpty();
    assertThat(ProviderConnectionMails.requestedProviders(update(new JsonObject().put("providerConnectionRequests.libre", requests("libre")))))
        .isEmpty();
  }

  private static ChangeEvent update(JsonObject updatedFields) {
    return decode(ChangeEvents.update("patients", "0123456789abcdef01234567", RECORD, updatedFields));
  }

  private static ChangeEvent decode(JsonObject event) {
    ChangeEvent decoded = ChangeEventDecoder.decode(StrictJson.formatA(event));
    assertThat(decoded.document()).isInstanceOf(BsonDocument.class);
    return decoded;
  }

  private static JsonArray requests(String provider) {
    return new JsonArray().add(new JsonObject().put("providerName", provider).put("createdTime", new JsonObject().put("$date", "2026-11-30T09:00:00Z")));
  }
}
