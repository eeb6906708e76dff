package org.tidepool.clinic.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** A bounded map whose entries disappear a fixed time after they were put. */
final class ExpiringCache<K, V> {
  private record Entry<V>(V value, Instant expires) {}

  private final Duration timeToLive;
  private final int maximumSize;
  private final Clock clock;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  ExpiringCache(Duration timeToLive, int maximumSize, Clock clock) {
    this.timeToLive = timeToLive;
    this.maximumSize = maximumSize;
    this.clock = clock;
  }

  V get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!entry.expires().isAfter(clock.instant())) {
      entries.remove(key, entry);
      return null;
    }
    return entry.value();
  }

  void put(K key, V value) {
    if (entries.size() >= maximumSize) {
      Instant now = clock.instant();
      entries.values().removeIf(entry -> !entry.expires().isAfter(now));
      if (entries.size() >= maximumSize) {
        entries.clear();
      }
    }
    entries.put(key, new Entry<>(value, clock.instant().plus(timeToLive)));
  }
}
