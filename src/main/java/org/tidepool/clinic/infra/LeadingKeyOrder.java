package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The order of a compound non-unique index after its first key, for one value of that key at a
 * time: the positions of the documents holding that value, in the order of the index's other
 * keys, then in scan order. With it a sorted page of a query that names the first key by that
 * value and sorts by the other keys (as the index, or all reversed when the last key is
 * {@code _id}) reads documents in that order and stops after {@code skip + limit} matches,
 * instead of reading every document of the value ({@link KeyLookupH2Collection#walkInOrder}).
 *
 * <p>An order is built for a value when a query first asks for it (from that value's postings
 * and documents, which the query would have read anyway), then kept up to date with every write
 * of the index; at most {@link #MAX_VALUES} values are kept, the least recently asked dropped
 * (rebuilt when asked again), so memory is bounded by that many values times the documents of
 * the largest (about 150 bytes a document). Its key is the document's values of the sort keys,
 * compared as mongo-java-server's sort compares them ({@link ValueComparator}), then the
 * position in the H2 map's order: the stable sort of a scan. A value whose documents hold
 * anything else there than a plain value (arrays, sub-documents, decimals) is not ordered here
 * ({@link #walk} declines: the query takes the ordinary path).
 */
final class LeadingKeyOrder {
  /** Values of the first key kept ordered per index (least recently asked dropped first). */
  static final int MAX_VALUES = 16;
  private static final Comparator<Object> SCAN_ORDER = new ObjectDataType()::compare;

  private final String leading;
  private final List<IndexKey> sortKeys;
  private final LinkedHashMap<Object, Run> runs = new LinkedHashMap<>(MAX_VALUES * 2, 0.75f, true);

  LeadingKeyOrder(List<IndexKey> keys) {
    this.leading = keys.get(0).getKey();
    this.sortKeys = List.copyOf(keys.subList(1, keys.size()));
  }

  /** Whether an index of these keys has an order after its first key. */
  static boolean ordered(List<IndexKey> keys) {
    return keys.size() > 1;
  }

  /**
   * Whether sorting by {@code orderBy} is this order (true), its reverse (false), or neither
   * (null). The reverse is taken only when the last key is {@code _id} (unique: no ties, whose
   * scan order a reversed walk would reverse too).
   */
  Boolean direction(Document orderBy) {
    if (orderBy == null || orderBy.size() != sortKeys.size()) {
      return null;
    }
    Iterator<Map.Entry<String, Object>> sort = orderBy.entrySet().iterator();
    int same = 0;
    for (IndexKey key : sortKeys) {
      Map.Entry<String, Object> next = sort.next();
      if (!next.getKey().equals(key.getKey()) || !(next.getValue() instanceof Number number)
          || (number.intValue() != 1 && number.intValue() != -1)) {
        return null;
      }
      same += (number.intValue() > 0) == key.isAscending() ? 1 : 0;
    }
    if (same == sortKeys.size()) {
      return true;
    }
    return same == 0 && sortKeys.get(sortKeys.size() - 1).getKey().equals("_id") ? false : null;
  }

  /**
   * Visits the positions of the documents whose first key holds {@code value}, in this order (or
   * its reverse), while {@code visit} returns true; false when they cannot be walked in order
   * (nothing visited). {@code positions}: the documents of the value (its postings) and
   * {@code documents} their reading, used when the order of the value is built.
   */
  synchronized boolean walk(Object value, boolean forward, Supplier<? extends Collection<Object>> positions,
                            Function<Object, Document> documents, Predicate<Object> visit) {
    Object key = LeadingKeyPostings.keyOf(value);
    if (key == null) {
      return false;
    }
    Run run = runs.get(key);
    if (run == null) {
      run = new Run();
      for (Object position : positions.get()) {
        Document document = documents.apply(position);
        if (document != null) {
          run.put(position, sortKey(document, position));
        }
      }
      runs.put(key, run);
      while (runs.size() > MAX_VALUES) {
        runs.remove(runs.keySet().iterator().next());
      }
    }
    if (run.unordered > 0) {
      return false;
    }
    for (Object position : (forward ? run.order : run.order.descendingMap()).values()) {
      if (!visit.test(position)) {
        break;
      }
    }
    return true;
  }

  /** Files (or re-files) the document at {@code position} in the orders kept of the values it holds. */
  synchronized void put(Object position, Document document) {
    if (runs.isEmpty()) {
      return;
    }
    List<Object> held = LeadingKeyPostings.keysOf(Utils.getSubdocumentValueCollectionAware(document, leading));
    SortKey sortKey = null;
    for (Map.Entry<Object, Run> entry : runs.entrySet()) {
      Run run = entry.getValue();
      run.remove(position);
      if (held.contains(entry.getKey())) {
        if (sortKey == null) {
          sortKey = sortKey(document, position);
        }
        run.put(position, sortKey);
      }
    }
  }

  synchronized void remove(Object position) {
    runs.values().forEach(run -> run.remove(position));
  }

  /** The values kept ordered now (for tests). */
  synchronized int values() {
    return runs.size();
  }

  private SortKey sortKey(Document document, Object position) {
    Object[] values = new Object[sortKeys.size()];
    boolean plain = true;
    for (int i = 0; i < values.length; i++) {
      values[i] = Utils.getSubdocumentValueCollectionAware(document, sortKeys.get(i).getKey());
      plain &= plain(values[i]);
    }
    return new SortKey(values, position, plain);
  }

  /** Values the sort compares plainly (no arrays, whose sort value depends on the direction, nor sub-documents). */
  private static boolean plain(Object value) {
    return Missing.isNullOrMissing(value) || value instanceof String || value instanceof ObjectId || value instanceof Boolean
        || value instanceof Instant || value instanceof Integer || value instanceof Long
        || (value instanceof Double number && !number.isNaN());
  }

  private final class Run {
    private final TreeMap<SortKey, Object> order = new TreeMap<>(this::compare);
    private final Map<Object, SortKey> keyOf = new HashMap<>();
    private int unordered;

    /** A key of values that are not plain is only counted: the comparator need not order it. */
    void put(Object position, SortKey key) {
      remove(position);
      keyOf.put(position, key);
      if (key.plain) {
        order.put(key, position);
      } else {
        unordered++;
      }
    }

    void remove(Object position) {
      SortKey key = keyOf.remove(position);
      if (key == null) {
        return;
      }
      if (key.plain) {
        order.remove(key);
      } else {
        unordered--;
      }
    }

    private int compare(SortKey a, SortKey b) {
      for (int i = 0; i < sortKeys.size(); i++) {
        ValueComparator comparator = sortKeys.get(i).isAscending() ? ValueComparator.asc() : ValueComparator.desc();
        int cmp = comparator.compare(a.values[i], b.values[i]);
        if (cmp != 0) {
          return cmp;
        }
      }
      return SCAN_ORDER.compare(a.position, b.position);
    }
  }

  private record SortKey(Object[] values, Object position, boolean plain) {}
}
