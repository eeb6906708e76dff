package org.tidepool.clinic.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dates of documents, read without the general parser where their text allows, exactly as {@link Instant#parse} reads them. */
class MongoJsonDatesTest {
  @Test
  void readsEveryInstantAsTheGeneralParserDoesInBothShapesTheyAreWrittenIn() {
    Random random = new Random(20261202);
    for (int i = 0; i < 100_000; i++) {
      long seconds = random.nextLong(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(), Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      String codecText = OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      assertThat(MongoJson.parseInstant(instant.toString())).isEqualTo(instant);
      assertThat(MongoJson.parseInstant(codecText)).as(codecText).isEqualTo(Instant.parse(codecText));
      assertThat(MongoJson.dateText(new JsonObject().put("$date", codecText))).isEqualTo(instant.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-02-29T12:00:00Z", "2016-12-31T23:59:60Z", "2026-12-02T10:00:00.1Z", "2026-12-02T10:00:00.12Z",
      "2026-12-02T10:00:00+01:00", "+12026-12-02T10:00:00Z", "2026-12-02T24:00:00Z", "2026-12-02T10:00:00.Z"})
  void readsWhatTheGeneralParserReads(String text) {
    assertThat(MongoJson.parseInstant(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2023-02-29T12:00:00Z", "2026-13-02T10:00:00Z", "2026-12-02T25:00:00Z", "2026-04-31T10:00:00Z",
      "2026-12-02T10:0a:00Z", "2026-12-02 10:00:00Z", "2026-12-02T10:00:00.1234567891Z"})
  void refusesWhatTheGeneralParserRefuses(String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> MongoJson.parseInstant(text)).isInstanceOf(DateTimeParseException.class);
  }
}
