package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.MVMap;

/**
 * H2's unique index (the same map, so existing files open as before) with the positions it has
 * looked up or written kept in memory. H2 compares these keys by serializing both with Java
 * serialization at every step of its search, which made a key lookup cost about half a
 * millisecond and bounded every write by key (each outbox record, each conditional update) on
 * the embedded store. The map stays the authority: a miss reads it, every put and remove
 * writes it first.
 */
final class CachedH2UniqueIndex extends AbstractUniqueIndex<Object> {
  private final MVMap<KeyValue, Object> map;
  private final Map<KeyValue, Object> positions = new ConcurrentHashMap<>();

  CachedH2UniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.map = map;
  }

  @Override
  protected Object removeDocument(KeyValue keyValue) {
    Object removed = map.remove(keyValue);
    positions.remove(keyValue);
    return removed;
  }

  @Override
  protected boolean putKeyPosition(KeyValue keyValue, Object position) {
    Object stored = Missing.ofNullable(position);
    boolean added = map.putIfAbsent(keyValue, stored) == null;
    if (added) {
      positions.put(keyValue, stored);
    }
    return added;
  }

  @Override
  protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
    return map.entrySet();
  }

  @Override
  protected Object getPosition(KeyValue keyValue) {
    Object cached = positions.get(keyValue);
    if (cached != null) {
      return cached;
    }
    Object stored = map.get(keyValue);
    if (stored != null) {
      positions.put(keyValue, stored);
    }
    return stored;
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
}
