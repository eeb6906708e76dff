package org.tidepool.clinic.patientlist;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The first {@code limit} of the items offered, by an order: a heap of at most {@code limit} with
 * the worst kept on top, so memory is bounded by the limit, not by the items offered.
 */
final class BestOf<T> {
  private final int limit;
  private final Comparator<T> order;
  private final PriorityQueue<T> worstFirst;

  BestOf(int limit, Comparator<T> order) {
    this.limit = limit;
    this.order = order;
    this.worstFirst = new PriorityQueue<>(Math.max(limit, 1), order.reversed());
  }

  void offer(T item) {
    if (worstFirst.size() < limit) {
      worstFirst.add(item);
    } else if (limit > 0 && order.compare(item, worstFirst.peek()) < 0) {
      worstFirst.poll();
      worstFirst.add(item);
    }
  }

  /** What is kept, best first. */
  List<T> inOrder() {
    List<T> kept = new ArrayList<>(worstFirst);
    kept.sort(order);
    return kept;
  }
}
