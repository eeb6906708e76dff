package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.h2.mvstore.type.ObjectDataType;

/**
 * For one field of one collection, which documents (by position: the H2 backend's {@code _id})
 * hold which value there, in memory: the candidates of a query that names that field by a plain
 * value. Shared by every non-unique index of the collection that leads with the field
 * ({@link LeadingKeyIndex}), so a field led by ten indexes is kept once, and up to date while
 * one of them is an index of the collection; rebuilt from the documents when the store opens
 * (nothing of it is in the file).
 *
 * <p>A candidate set is a superset of the documents the field's condition matches, in the order
 * of a scan of the collection (the H2 map's key order), so that matching the whole query against
 * it gives exactly the answer of a scan. A value is kept under a key only where equality in a
 * query is plain equality of that key: strings, ObjectIds, booleans and numbers a double holds (as
 * doubles, as the query matcher compares numbers). Documents holding any other value there
 * (sub-documents, nested arrays, dates, decimals) are candidates of every query.
 */
final class LeadingKeyPostings {
  /** The H2 data map's key order (its default key type), which is the order of a scan. */
  private static final Comparator<Object> SCAN_ORDER = new ObjectDataType()::compare;

  private final String field;
  private final Map<Object, NavigableSet<Object>> byValue = new HashMap<>();
  private final NavigableSet<Object> anyValue = new TreeSet<>(SCAN_ORDER);
  private final Map<Object, List<Object>> keysOfPosition = new HashMap<>();

  LeadingKeyPostings(String field) {
    this.field = field;
  }

  String field() {
    return field;
  }

  synchronized int size() {
    return keysOfPosition.size();
  }

  /** Files (or re-files) the document at {@code position}; repeating it changes nothing. */
  synchronized void put(Object position, Document document) {
    remove(position);
    List<Object> keys = new ArrayList<>();
    boolean any = collectKeys(Utils.getSubdocumentValueCollectionAware(document, field), keys, true);
    if (any) {
      anyValue.add(position);
      keys.add(AnyValue.INSTANCE);
    }
    for (Object key : keys) {
      if (key != AnyValue.INSTANCE) {
        byValue.computeIfAbsent(key, k -> new TreeSet<>(SCAN_ORDER)).add(position);
      }
    }
    keysOfPosition.put(position, keys);
  }

  synchronized void remove(Object position) {
    List<Object> keys = keysOfPosition.remove(position);
    if (keys == null) {
      return;
    }
    for (Object key : keys) {
      if (key == AnyValue.INSTANCE) {
        anyValue.remove(position);
        continue;
      }
      NavigableSet<Object> positions = byValue.get(key);
      if (positions != null) {
        positions.remove(position);
        if (positions.isEmpty()) {
          byValue.remove(key);
        }
      }
    }
  }

  /**
   * The positions of the documents whose field may equal one of {@code values} (plain values of a
   * query, all keyable), in scan order.
   */
  synchronized List<Object> candidates(Collection<?> values) {
    List<NavigableSet<Object>> sets = new ArrayList<>();
    for (Object value : values) {
      NavigableSet<Object> positions = byValue.get(key(value));
      if (positions != null && !sets.contains(positions)) {
        sets.add(positions);
      }
    }
    if (!anyValue.isEmpty()) {
      sets.add(anyValue);
    }
    if (sets.size() == 1) {
      return new ArrayList<>(sets.get(0));
    }
    NavigableSet<Object> union = new TreeSet<>(SCAN_ORDER);
    sets.forEach(union::addAll);
    return new ArrayList<>(union);
  }

  /** How many candidates {@link #candidates} would give at most (to choose among several fields). */
  synchronized int estimate(Collection<?> values) {
    int count = anyValue.size();
    for (Object value : values) {
      NavigableSet<Object> positions = byValue.get(key(value));
      count += positions == null ? 0 : positions.size();
    }
    return count;
  }

  /**
   * How many documents hold {@code value} (a plain value of a query), which is then the count of
   * the query of exactly that value; -1 when documents of values without a key would need matching.
   */
  synchronized int exactCount(Object value) {
    Object key = key(value);
    if (key == null || !anyValue.isEmpty()) {
      return -1;
    }
    NavigableSet<Object> positions = byValue.get(key);
    return positions == null ? 0 : positions.size();
  }

  /** Whether every document's value here has a key (none is a candidate of every query). */
  synchronized boolean allKeyed() {
    return anyValue.isEmpty();
  }

  /** The key a query value is looked up under, or null ({@link #keyable}). */
  static Object keyOf(Object value) {
    return key(value);
  }

  /** The keys a stored value is filed under (an array: each element's). */
  static List<Object> keysOf(Object storedValue) {
    List<Object> keys = new ArrayList<>();
    collectKeys(storedValue, keys, true);
    return keys;
  }

  /** Whether a query value can be looked up here: null when it cannot (the query needs a scan). */
  static boolean keyable(Object value) {
    return key(value) != null;
  }

  /**
   * Adds the keys of a stored value (an array: of each element) to {@code keys}; returns whether
   * the value also holds something that has no key (the document is then a candidate of every
   * query). Missing and null values match no plain query value and are not kept.
   */
  private static boolean collectKeys(Object value, List<Object> keys, boolean topLevel) {
    if (Missing.isNullOrMissing(value)) {
      return false;
    }
    if (value instanceof Collection<?> elements) {
      if (!topLevel) {
        return true;
      }
      boolean any = false;
      for (Object element : elements) {
        any |= collectKeys(element, keys, false);
      }
      return any;
    }
    Object key = key(value);
    if (key == null) {
      return true;
    }
    if (!keys.contains(key)) {
      keys.add(key);
    }
    return false;
  }

  /** The key of a value under which equality is plain equality of keys, else null. */
  private static Object key(Object value) {
    if (value instanceof String || value instanceof ObjectId || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Double || value instanceof Float || value instanceof Integer || value instanceof Short
        || value instanceof Byte || value instanceof Long) {
      double number = ((Number) value).doubleValue();
      if (value instanceof Long exact && (long) number != exact) {
        return null;
      }
      if (Double.isNaN(number)) {
        return null;
      }
      return number == 0.0 ? Double.valueOf(0.0) : Double.valueOf(number);
    }
    return null;
  }

  /** The marker of a position kept among the candidates of every query. */
  private enum AnyValue { INSTANCE }

  @Override
  public String toString() {
    return "postings of " + field + " (" + size() + " documents)";
  }
}
