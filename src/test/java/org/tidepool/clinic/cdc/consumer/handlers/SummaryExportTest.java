package org.tidepool.clinic.cdc.consumer.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Which values of a platform summary reach the clinic record (upstream's export rules). */
class SummaryExportTest {

  @Test
  void bgmSpreadNeedsThirtyReadingsOnSevenDays() {
    JsonObject enough = period(30, 7);
    JsonObject few = period(29, 7);
    JsonObject shortSpan = period(60, 6);

    assertThat(bgm(enough).getDouble("standardDeviation")).isEqualTo(1.2);
    assertThat(bgm(enough).getDouble("coefficientOfVariation")).isEqualTo(0.3);
    assertThat(bgm(few).containsKey("standardDeviation")).isFalse();
    assertThat(bgm(shortSpan).containsKey("coefficientOfVariation")).isFalse();
    assertThat(bgm(few).getDouble("timeInTargetPercent")).isEqualTo(0.5);
    assertThat(bgm(period(0, 0)).containsKey("timeInTargetPercent")).isFalse();
    assertThat(bgm(period(0, 0)).getBoolean("hasTotalRecords")).isFalse();
  }

  @Test
  void aCgmDeltaIsLeftOutWhenThePreviousPeriodFailsTheRule() {
    JsonObject now = new JsonObject().put("cgmUse", new JsonObject().put("minutes", 1300).put("records", 260).put("percent", 0.9))
        .put("inTarget", new JsonObject().put("percent", 0.8)).put("GMI", 6.4)
        .put("delta", new JsonObject().put("inTarget", new JsonObject().put("percent", 0.1)).put("GMI", 0.2));
    JsonObject before = new JsonObject().put("cgmUse", new JsonObject().put("minutes", 400).put("records", 80).put("percent", 0.28));
    JsonObject summary = new JsonObject().put("periods", new JsonObject().put("1d", now))
        .put("offsetPeriods", new JsonObject().put("1d", before));

    JsonObject day = SummaryExport.statistics(SummaryExport.CGM, summary, false).getJsonObject("periods").getJsonObject("1d");

    assertThat(day.getDouble("timeInTargetPercent")).isEqualTo(0.8);
    assertThat(day.containsKey("timeInTargetPercentDelta")).isFalse();
    assertThat(day.getDouble("glucoseManagementIndicator")).isEqualTo(6.4);
    assertThat(day.containsKey("glucoseManagementIndicatorDelta")).isFalse();
    // without offset periods the delta goes with its value
    JsonObject alone = SummaryExport.statistics(SummaryExport.CGM, new JsonObject().put("periods", new JsonObject().put("1d", now)), false)
        .getJsonObject("periods").getJsonObject("1d");
    assertThat(alone.getDouble("timeInTargetPercentDelta")).isEqualTo(0.1);
  }

  @Test
  void missingDatesStayMissing() {
    JsonObject dates = SummaryExport.statistics(SummaryExport.CGM, new JsonObject().put("dates", new JsonObject()
        .put("lastData", new JsonObject().put("$date", 1_796_000_000_000L))), false).getJsonObject("dates");

    assertThat(dates.getBoolean("hasLastData")).isTrue();
    assertThat(dates.getString("lastData")).isEqualTo("2026-11-30T00:53:20Z");
    assertThat(dates.getBoolean("hasFirstData")).isFalse();
    assertThat(dates.containsKey("firstData")).isFalse();
    assertThat(dates.getBoolean("hasLastUploadDate")).isFalse();
  }

  private static JsonObject bgm(JsonObject period) {
    return SummaryExport.statistics(SummaryExport.BGM, new JsonObject().put("periods", new JsonObject().put("7d", period)), false)
        .getJsonObject("periods").getJsonObject("7d");
  }

  private static JsonObject period(int records, int days) {
    return new JsonObject().put("cgmUse", new JsonObject().put("records", records).put("percent", records == 0 ? 0 : 1.0))
        .put("inTarget", new JsonObject().put("records", records / 2).put("percent", 0.5))
        .put("daysWithData", days).put("SD", 1.2).put("CV", 0.3).put("avgGlucose", 7.0);
  }
}
