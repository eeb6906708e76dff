package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map.Entry;
import java.util.UUID;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

/**
 * A unique index of the H2 backend in an MVMap whose keys compare without Java serialization.
 * mongo-java-server's own H2 index keys its map by {@link KeyValue}, which is not
 * {@link Comparable}, so H2 orders those keys by their serialized bytes and serializes both keys
 * (a new {@code ObjectOutputStream} each) at every step of every binary search: that was most of
 * the time of an insert and of an indexed lookup (JFR profile of {@code PatientBenchmark}).
 *
 * <p>Here keys are ordered by a hash that is the same in every JVM, then by their values (or, for
 * value types the hash does not cover, their serialized bytes): two keys compare equal exactly
 * when their values are equal as their bytes were, so the index refuses the same duplicates. The order differs from the old one, so the map has a name of its
 * own ({@link #mapName}); an index found only under the old name is left empty, which makes
 * mongo-java-server rebuild it from the documents when the collection opens, and the old map goes.
 */
final class HashOrderedUniqueIndex extends AbstractUniqueIndex<Object> {
  private final MVMap<KeyValue, Object> map;

  private HashOrderedUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.map = map;
  }

  /** Opens the index {@code mapName(namespace, name)}, removing the map of the old key order if there is one. */
  static HashOrderedUniqueIndex open(MVStore store, String collectionNamespace, String name, List<IndexKey> keys, boolean sparse) {
    String oldName = oldMapName(collectionNamespace, name);
    if (store.hasMap(oldName)) {
      store.removeMap(oldName);
    }
    MVMap<KeyValue, Object> map = store.openMap(mapName(collectionNamespace, name),
        new MVMap.Builder<KeyValue, Object>().keyType(new KeyOrder()).valueType(new RememberedSerialization()));
    return new HashOrderedUniqueIndex(map, name, keys, sparse);
  }

  static String mapName(String collectionNamespace, String indexName) {
    return collectionNamespace + "._hashindex_" + indexName;
  }

  /** The name mongo-java-server's H2 backend gives the map of an index. */
  static String oldMapName(String collectionNamespace, String indexName) {
    return collectionNamespace + "._index_" + indexName;
  }

  @Override
  protected Object removeDocument(KeyValue keyValue) {
    return map.remove(keyValue);
  }

  @Override
  protected boolean putKeyPosition(KeyValue keyValue, Object position) {
    return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
  }

  @Override
  protected Iterable<Entry<KeyValue, Object>> getIterable() {
    return map.entrySet();
  }

  @Override
  protected Object getPosition(KeyValue keyValue) {
    return map.get(keyValue);
  }

  @Override
  public long getCount() {
    return map.sizeAsLong();
  }

  @Override
  public boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public long getDataSize() {
    return getCount();
  }

  /**
   * H2's object type (same stored form), ordering {@link KeyValue}s by {@link #stableHash} first;
   * keys of equal hash whose values are all of the types that hash covers compare value by value
   * (type, then value), others by their serialized bytes (only those are still serialized, and
   * they come after the former).
   */
  static final class KeyOrder extends ObjectDataType {
    @Override
    public int compare(Object a, Object b) {
      if (a instanceof KeyValue x && b instanceof KeyValue y) {
        if (a == b) {
          return 0;
        }
        int byHash = Integer.compare(stableHash(x), stableHash(y));
        if (byHash != 0) {
          return byHash;
        }
        boolean plainX = x.stream().allMatch(HashOrderedUniqueIndex::hashed);
        boolean plainY = y.stream().allMatch(HashOrderedUniqueIndex::hashed);
        if (plainX && plainY) {
          return compareValues(x, y);
        }
        if (plainX != plainY) {
          return plainX ? -1 : 1;
        }
      }
      return super.compare(a, b);
    }
  }

  /** Value by value: the type's rank, then the value; a shorter key first when one is a prefix of the other. */
  private static int compareValues(KeyValue x, KeyValue y) {
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      Object a = x.get(i);
      Object b = y.get(i);
      int byType = Integer.compare(TYPES.indexOf(a.getClass()), TYPES.indexOf(b.getClass()));
      if (byType != 0) {
        return byType;
      }
      @SuppressWarnings("unchecked")
      int byValue = ((Comparable<Object>) a).compareTo(b);
      if (byValue != 0) {
        return byValue;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  /** The value types {@link #stableHash} covers (each {@link Comparable} with itself), in the order of their rank. */
  private static final List<Class<?>> TYPES = List.of(String.class, Double.class, Long.class, Integer.class, Boolean.class,
      ObjectId.class, Instant.class, Date.class, UUID.class);

  private static boolean hashed(Object value) {
    return value != null && TYPES.contains(value.getClass());
  }

  /**
   * A hash of the key's values that does not change between JVMs or library versions (the map's
   * order is stored): computed here for the value types indexes hold (the hash codes the JDK
   * specifies for strings and boxed numbers); 0 for any other type, whose keys are then ordered
   * by their bytes alone. Equal bytes mean equal values, hence equal hashes.
   */
  static int stableHash(KeyValue key) {
    int hash = 1;
    for (Object value : key) {
      hash = 31 * hash + stableHash(value);
    }
    return hash;
  }

  private static int stableHash(Object value) {
    if (value instanceof String || value instanceof Double || value instanceof Long || value instanceof Integer
        || value instanceof Boolean) {
      return value.hashCode();
    }
    if (value instanceof ObjectId id) {
      return Arrays.hashCode(id.toByteArray());
    }
    if (value instanceof Instant instant) {
      return 31 * Long.hashCode(instant.getEpochSecond()) + instant.getNano();
    }
    if (value instanceof Date date) {
      return Long.hashCode(date.getTime());
    }
    if (value instanceof UUID uuid) {
      return Long.hashCode(uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits());
    }
    return 0;
  }
}
