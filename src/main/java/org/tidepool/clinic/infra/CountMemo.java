package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.bson.Document;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of a collection's count aggregations ({@link CountAggregation}) by their
 * {@code $match}, while the collection is not written: every completed write empties it
 * ({@link #written}), and a count computed while a write ran is not kept (its generation is no
 * longer the one it started at). A list's count is asked again for every page of the same filter
 * (and by every caller of the same screen); without writes in between it is read once. At most
 * {@link #CAPACITY} counts are kept, the least recently asked dropped.
 */
final class CountMemo {
  static final int CAPACITY = 64;
  private long generation;
  private final Map<Document, Integer> counts = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true);

  /** The generation to pass to {@link #put} for a count computed from now on. */
  synchronized long generation() {
    return generation;
  }

  synchronized Integer get(Document match) {
    return counts.get(match);
  }

  /** Whether a count of {@code match} depends on the documents alone (no {@code $expr}, {@code $where}, variables such as {@code $$NOW}). */
  static boolean keepable(Document match) {
    String text = match.toString();
    return !text.contains("$expr") && !text.contains("$where") && !text.contains("$$") && !text.contains("$function");
  }

  /** Keeps the count of {@code match} computed since {@code generation}, unless the collection was written since. */
  synchronized void put(Document match, int count, long since) {
    if (since != generation || !keepable(match)) {
      return;
    }
    counts.put(match, count);
    if (counts.size() > CAPACITY) {
      counts.remove(counts.keySet().iterator().next());
    }
  }

  /** After every write of the collection (whether it changed a document or not). */
  synchronized void written() {
    generation++;
    counts.clear();
  }

  /** The count a count aggregation's reply gives ({@code firstBatch} empty: 0), or -1 when it is not such a reply. */
  static int countOf(Document reply, Document command) {
    if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get("firstBatch") instanceof List<?> batch)
        || !(cursor.get("id") instanceof Number id) || id.longValue() != 0) {
      return -1;
    }
    if (batch.isEmpty()) {
      return 0;
    }
    String name = CountAggregation.countName(command);
    return batch.size() == 1 && batch.get(0) instanceof Document group && group.get(name) instanceof Integer count ? count : -1;
  }
}
