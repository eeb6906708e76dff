package org.tidepool.clinic.cdc.consumer;

import java.util.TreeMap;

/**
 * The records of one partition being handled, which finish out of order (different keys run
 * concurrently): the offset to commit is the one after the longest finished run from the oldest.
 */
final class PartitionProgress {
  private final TreeMap<Long, Boolean> finishedByOffset = new TreeMap<>();

  void started(long offset) {
    finishedByOffset.put(offset, false);
  }

  /** Marks the record finished; the offset to commit now, or -1 when an older record is still running. */
  long finished(long offset) {
    finishedByOffset.replace(offset, true);
    long commit = -1;
    while (!finishedByOffset.isEmpty() && finishedByOffset.firstEntry().getValue()) {
      commit = finishedByOffset.pollFirstEntry().getKey() + 1;
    }
    return commit;
  }
}
