package org.tidepool.clinic.patientlist;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A TIDE category (§3.6): which patients of the period's metrics it holds, the metric it sorts
 * by (descending for time in a bad range, ascending for time in target, CGM use and the drop),
 * and the filter it shows in the report's config.
 */
record TideCategory(String name, String metric, boolean descending, String filter, Predicate<JsonObject> holds) {
  static final List<String> DEFAULT_ORDER = List.of("timeInVeryLowPercent", "timeInAnyLowPercent", "timeInVeryHighPercent",
      "timeInAnyHighPercent", "dropInTimeInTargetPercent", "timeCGMUsePercent", "meetingTargets");

  static final Map<String, TideCategory> ALL = Map.of(
      "timeInVeryLowPercent", above("timeInVeryLowPercent", 0.01, ">0.01"),
      "timeInAnyLowPercent", above("timeInAnyLowPercent", 0.04, ">0.04"),
      "timeInExtremeHighPercent", new TideCategory("timeInExtremeHighPercent", "timeInExtremeHighPercent", true, ">=0.01",
          period -> value(period, "timeInExtremeHighPercent") >= 0.01),
      "timeInVeryHighPercent", above("timeInVeryHighPercent", 0.05, ">0.05"),
      "timeInAnyHighPercent", above("timeInAnyHighPercent", 0.25, ">0.25"),
      "dropInTimeInTargetPercent", new TideCategory("dropInTimeInTargetPercent", "timeInTargetPercentDelta", false, ">0.15",
          period -> value(period, "timeInTargetPercentDelta") < -0.15),
      "timeInTargetPercent", below("timeInTargetPercent", 0.70),
      "timeCGMUsePercent", below("timeCGMUsePercent", 0.70),
      "meetingTargets", new TideCategory("meetingTargets", "timeInTargetPercent", false, null, TideCategory::meetsTargets));

  private static TideCategory above(String metric, double threshold, String filter) {
    return new TideCategory(metric, metric, true, filter, period -> value(period, metric) > threshold);
  }

  private static TideCategory below(String metric, double threshold) {
    return new TideCategory(metric, metric, false, "<" + threshold, period -> value(period, metric) < threshold);
  }

  private static boolean meetsTargets(JsonObject period) {
    return value(period, "timeInTargetPercent") >= 0.70 && value(period, "timeCGMUsePercent") >= 0.70
        && atMost(period, "timeInVeryLowPercent", 0.01) && atMost(period, "timeInAnyLowPercent", 0.04)
        && atMost(period, "timeInVeryHighPercent", 0.05) && atMost(period, "timeInAnyHighPercent", 0.25)
        && (!present(period, "timeInExtremeHighPercent") || value(period, "timeInExtremeHighPercent") < 0.01);
  }

  private static boolean atMost(JsonObject period, String metric, double limit) {
    return present(period, metric) && value(period, metric) <= limit;
  }

  static boolean present(JsonObject period, String metric) {
    return period != null && period.getValue(metric) instanceof Number;
  }

  /** The metric, NaN when absent (NaN compares false, so an absent metric puts no patient in a category). */
  static double value(JsonObject period, String metric) {
    return present(period, metric) ? period.getDouble(metric) : Double.NaN;
  }
}
