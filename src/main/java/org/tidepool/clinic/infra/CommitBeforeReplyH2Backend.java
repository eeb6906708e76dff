package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
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
 * <p>A write whose write concern says {@code j: false} is answered without waiting ({@link #journalDeclined}).
 *
 * <p>After the command, {@link MVStore#commit()} stores what is not stored yet (several
 * concurrent writers share one store: group commit), then
 * {@link MVStore#executeFilestoreOperation} waits until H2's own background store, which may have
 * taken our changes a moment earlier, has also reached the file. That is enough against a crash
 * of this process (the OS keeps what was written); with {@code fsync} the file is also forced to
 * the disk, which a power loss needs.
 *
 * <p>Its collections look documents up by any unique index a query names ({@link KeyLookupH2Collection});
 * its unique indexes compare keys without serializing them ({@link HashOrderedUniqueIndex}); an
 * ObjectId is serialized once, not at every write of its page ({@link RememberedSerialization}).
 */
final class CommitBeforeReplyH2Backend extends H2Backend {
  /**
   * System property: non-unique indexes answer queries that name their first key ({@link LeadingKeyIndex});
   * on unless it is {@code false} (then queries on non-unique keys scan, as mongo-java-server does).
   */
  static final String LEADING_KEY_INDEXES = "clinic.embedded.leadingKeyIndexes";
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
      if (mayWrite(command, query) && !journalDeclined(query)) {
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
      RememberedSerialization serialization = new RememberedSerialization();
      MVMap<Object, Document> data = files.openMap("databases." + fullName,
          new MVMap.Builder<Object, Document>().keyType(serialization).valueType(serialization));
      return new KeyLookupH2Collection(this, collectionName, options, data, files.openMap("meta." + fullName),
          CommitBeforeReplyH2Backend.this.getCursorRegistry());
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return HashOrderedUniqueIndex.open(getMvStore(), getFullCollectionNamespace(collectionName), indexName, keys, sparse);
    }

    /**
     * mongo-java-server ignores non-unique indexes ({@code EmptyIndex}); here they serve queries
     * naming their first key, unless {@link #leadingKeyIndexes} says they are off.
     */
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      if (leadingKeyIndexes() && resolveCollection(collectionName, false) instanceof KeyLookupH2Collection collection) {
        LeadingKeyIndex index = collection.secondaryIndex(indexName, keys, sparse);
        if (index != null) {
          return index;
        }
      }
      return super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
    }

    /**
     * An aggregation whose first stage is a {@code $match} reads the candidates of that match, not
     * every document; a count of a match the postings answer reads none ({@link CountAggregation}),
     * and a count asked again before the next write of the collection is the one kept ({@link CountMemo}).
     */
    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver, Oplog oplog) {
      Document countMatch = command.equalsIgnoreCase("aggregate") ? CountAggregation.match(query.get("pipeline")) : null;
      if (countMatch != null && query.get(command) instanceof String collectionName
          && resolveCollection(collectionName, false) instanceof KeyLookupH2Collection collection) {
        int exact = collection.exactCount(countMatch);
        Integer known = exact >= 0 ? Integer.valueOf(exact) : collection.counts().get(countMatch);
        if (known != null) {
          int count = known;
          return collection.aggregatingOver(CountAggregation.input(count),
              () -> super.handleCommand(channel, command, CountAggregation.counted(query, count), databaseResolver, oplog));
        }
        long since = collection.counts().generation();
        Document reply = collection.aggregating(countMatch,
            () -> super.handleCommand(channel, command, CompiledRegexQuery.inFirstMatch(query), databaseResolver, oplog));
        int counted = CountMemo.countOf(reply, query);
        if (counted >= 0) {
          collection.counts().put(countMatch, counted, since);
        }
        return reply;
      }
      if (command.equalsIgnoreCase("aggregate") && query.get("pipeline") instanceof List<?> stages && !stages.isEmpty()
          && stages.get(0) instanceof Document first && first.size() == 1 && first.get("$match") instanceof Document match
          && query.get(command) instanceof String collectionName
          && resolveCollection(collectionName, false) instanceof KeyLookupH2Collection collection) {
        return collection.aggregating(match,
            () -> super.handleCommand(channel, command, CompiledRegexQuery.inFirstMatch(query), databaseResolver, oplog));
      }
      return super.handleCommand(channel, command, query, databaseResolver, oplog);
    }

    @Override
    protected void dropIndex(MongoCollection<Object> collection, String indexName) {
      super.dropIndex(collection, indexName);
      getMvStore().removeMap(HashOrderedUniqueIndex.mapName(getFullCollectionNamespace(collection.getCollectionName()), indexName));
    }
  }

  /** Whether non-unique indexes are {@link LeadingKeyIndex}es: unless {@value #LEADING_KEY_INDEXES} is {@code false}. */
  static boolean leadingKeyIndexes() {
    return !"false".equalsIgnoreCase(System.getProperty(LEADING_KEY_INDEXES, "true").trim());
  }

  private void makeDurable() {
    store.commit();
    store.executeFilestoreOperation(fsync ? store::sync : () -> { });
  }

  /**
   * Whether the command asks not to be journaled ({@code writeConcern.j: false}): it is answered
   * once applied, and reaches the file with the next commit (any later write that is not declined,
   * or H2's own background store). A writer asks this only for a record that a journaled write of
   * its own follows, as a pending change record is followed by its data write: in one MVStore a
   * commit stores every change before it, so that write makes the record durable too.
   */
  static boolean journalDeclined(Document query) {
    return query.get("writeConcern") instanceof Document concern && Boolean.FALSE.equals(concern.get("j"));
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
