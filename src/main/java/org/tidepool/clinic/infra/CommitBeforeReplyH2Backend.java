package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend with journaled-write semantics: a command that may have written
 * is answered only once its changes are in the MVStore file. H2 itself commits in the background
 * about once a second, so without this a process crash loses the last second of acknowledged
 * writes.
 *
 * <p>After the command, {@link MVStore#commit()} stores what is not stored yet (several
 * concurrent writers share one store: group commit), then
 * {@link MVStore#executeFilestoreOperation} waits until H2's own background store, which may have
 * taken our changes a moment earlier, has also reached the file. That is enough against a crash
 * of this process (the OS keeps what was written); with {@code fsync} the file is also forced to
 * the disk, which a power loss needs.
 *
 * <p>Its collections look documents up by any unique index a query names ({@link KeyLookupH2Collection}).
 */
final class CommitBeforeReplyH2Backend extends H2Backend {
  /** Commands that never write (lower case); every other command commits before its reply. */
  private static final Set<String> READ_ONLY = Set.of(
      "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
      "dbstats", "collstats", "validate", "ping", "hello", "ismaster", "buildinfo", "whatsmyuri",
      "serverstatus", "killcursors", "endsessions", "getparameter", "getcmdlineopts", "getlog",
      "hostinfo", "connectionstatus", "getlasterror", "currentop");

  private final MVStore store;
  private final boolean fsync;

  CommitBeforeReplyH2Backend(MVStore store, boolean fsync) {
    super(store);
    this.store = store;
    this.fsync = fsync;
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      // also after a failed command: an ordered insert may have written some documents first
      if (mayWrite(command, query)) {
        makeDurable();
      }
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new KeyLookupDatabase(databaseName);
  }

  /**
   * H2's database with {@link KeyLookupH2Collection}s, in H2's own maps (same names, so existing
   * files open as before). The backend opens the databases of an existing file in its constructor,
   * before this class's own fields are set, so the store is taken from H2Backend.
   */
  private final class KeyLookupDatabase extends H2Database {
    KeyLookupDatabase(String databaseName) {
      super(databaseName, getMvStore(), CommitBeforeReplyH2Backend.this.getCursorRegistry());
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      String fullName = getFullCollectionNamespace(collectionName);
      MVStore files = getMvStore();
      return new KeyLookupH2Collection(this, collectionName, options, files.openMap("databases." + fullName),
          files.openMap("meta." + fullName), CommitBeforeReplyH2Backend.this.getCursorRegistry());
    }

    /** H2's index map (same name as H2Database gives it), looked up through a cache of its positions. */
    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      MVMap<KeyValue, Object> map = getMvStore().openMap(getFullCollectionNamespace(collectionName) + "._index_" + indexName);
      return new CachedH2UniqueIndex(map, indexName, keys, sparse);
    }
  }

  private void makeDurable() {
    store.commit();
    store.executeFilestoreOperation(fsync ? store::sync : () -> { });
  }

  static boolean mayWrite(String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    if (name.equals("aggregate")) {
      return query.get("pipeline") instanceof List<?> stages && stages.stream()
          .anyMatch(stage -> stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge")));
    }
    return !READ_ONLY.contains(name);
  }
}
