package org.tidepool.clinic.patientlist;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TIDE report's placement (§3.6) over the selected patients offered one at a time, keeping
 * only the few that can be placed, so memory is bounded by the limits, not by the clinic.
 *
 * <p>Placement: the categories in order, each takes the first {@code remaining} (by its order,
 * ties by id) of the recent patients it holds that no category before took, {@code remaining}
 * starting at {@value TideReport#CATEGORY_LIMIT} and falling by each category's take; then
 * {@code noData} takes the first {@value TideReport#NO_DATA_LIMIT} not placed of the patients without
 * recent data, oldest first (no data at all first), ties by id.
 *
 * <p>Why the first {@value TideReport#CATEGORY_LIMIT} holders of each category suffice: when
 * category {@code i} is placed, {@code remaining} places are left, so at most
 * {@code CATEGORY_LIMIT - remaining} patients were placed before it, all by earlier categories. Its
 * take is the first {@code remaining} of its holders in its order skipping the placed ones; at most
 * {@code CATEGORY_LIMIT - remaining} are skipped, so the take lies within its first
 * {@code remaining + (CATEGORY_LIMIT - remaining) = CATEGORY_LIMIT} holders. For {@code noData} the
 * placed patients (at most {@code CATEGORY_LIMIT}) can also be without recent data (data since the
 * cutoff but not in the last 8 h, with a Dexcom source not connected), so its first
 * {@code NO_DATA_LIMIT} not placed lie within its first {@code CATEGORY_LIMIT + NO_DATA_LIMIT}.
 * Both orders are total (ties by id), so the kept first ones are exactly the first of all.
 */
final class TideCandidates {
  private final TideReport.Request request;
  private final Instant stale;
  private final List<Candidates> holders;
  private final BestOf<TideHolder> noData;
  private RuntimeException unreadable;

  TideCandidates(TideReport.Request request, List<TideCategory> categories, Instant now) {
    this.request = request;
    this.stale = now.minus(TideReport.RECENT);
    this.holders = categories.stream().map(category -> new Candidates(category, new BestOf<>(TideReport.CATEGORY_LIMIT, order(category))))
        .toList();
    this.noData = request.excludeNoData() ? null
        : new BestOf<>(TideReport.CATEGORY_LIMIT + TideReport.NO_DATA_LIMIT, oldestFirst());
  }

  /**
   * Classifies one projected patient document as it is read. A document that cannot be read is
   * remembered and fails {@link #place}: thrown here, it would end in the stream's handler and the
   * report would leave the patient out without a word.
   */
  void offer(JsonObject document) {
    if (unreadable != null) {
      return;
    }
    try {
      classify(document);
    } catch (RuntimeException e) {
      unreadable = e;
    }
  }

  private void classify(JsonObject document) {
    TideHolder patient = TideHolder.of(document, request.period());
    if (patient.recent(request.lastDataCutoff())) {
      for (Candidates category : holders) {
        if (category.category().holds().test(patient.metrics())) {
          category.best().offer(patient);
        }
      }
    }
    if (noData != null && patient.noRecentData(request.lastDataCutoff(), stale)) {
      noData.offer(patient);
    }
  }

  /** Places the kept patients: each category's in its order, then {@code noData}'s; fails when a document could not be read. */
  Placement place() {
    if (unreadable != null) {
      throw unreadable;
    }
    List<Placed> placedIn = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    int remaining = TideReport.CATEGORY_LIMIT;
    for (Candidates category : holders) {
      List<TideHolder> members = category.best().inOrder().stream().filter(patient -> !placed.contains(patient.id()))
          .limit(Math.max(remaining, 0)).toList();
      members.forEach(patient -> placed.add(patient.id()));
      remaining -= members.size();
      placedIn.add(new Placed(category.category(), members));
    }
    List<TideHolder> withoutData = noData == null ? null : noData.inOrder().stream()
        .filter(patient -> !placed.contains(patient.id())).limit(TideReport.NO_DATA_LIMIT).toList();
    return new Placement(placedIn, withoutData);
  }

  /** The categories' patients in the request's order of categories, and {@code noData}'s (null when excluded). */
  record Placement(List<Placed> categories, List<TideHolder> noData) {}

  /** A category's patients, in its order. */
  record Placed(TideCategory category, List<TideHolder> patients) {}

  private record Candidates(TideCategory category, BestOf<TideHolder> best) {}

  private static Comparator<TideHolder> order(TideCategory category) {
    Comparator<TideHolder> byMetric = Comparator.comparingDouble(patient -> TideCategory.value(patient.metrics(), category.metric()));
    return (category.descending() ? byMetric.reversed() : byMetric).thenComparing(TideHolder::id);
  }

  private static Comparator<TideHolder> oldestFirst() {
    return Comparator.comparing(TideHolder::lastData, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(TideHolder::id);
  }
}
