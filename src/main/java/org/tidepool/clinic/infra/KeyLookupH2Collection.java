package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ObjectDataType;

/**
 * An H2 collection that reads only the documents a query can match when the query names the keys
 * of an index by plain values (also within a top-level {@code $and}), whatever else it asks.
 * mongo-java-server uses an index only for a query of exactly a unique index's keys, and has no
 * non-unique indexes, so a conditional write ({@code _id} and a revision) or a query of one
 * clinic's patients read every document of the collection. Here:
 * <ol>
 *   <li>a unique index whose every key the query names: the one document it points at;</li>
 *   <li>a unique index whose keys the query names so but one, named by an {@code $in} of plain values:
 *   the document of each value;</li>
 *   <li>else what mongo-java-server would use (a query of exactly a unique index's keys);</li>
 *   <li>else the fewest candidates of the {@link LeadingKeyPostings} of a non-unique index's first
 *   key that the query names by a value or an {@code $in} of values;</li>
 *   <li>else every document.</li>
 * </ol>
 * Candidates are in the order of a scan and the whole query is matched against each, so the
 * answers (and their order, sorted or not) are those of a scan. An aggregation whose first stage
 * is a {@code $match} starts from the candidates of that match in the same way ({@link #aggregating}).
 */
final class KeyLookupH2Collection extends H2Collection {
  /** Pages up to this far (skip + limit) are kept while matching; deeper ones are sorted whole. */
  private static final int TOP_PAGE_LIMIT = 10_000;
  /** At most this many values of an {@code $in} are looked up one by one in a unique index. */
  private static final int MAX_LOOKUPS = 1_000;
  /** The H2 data map's key order (its default key type), which is the order of a scan. */
  private static final Comparator<Object> SCAN_ORDER = new ObjectDataType()::compare;
  /** Paths with a numeric part ({@code tags.0}) address array elements, which the postings do not follow. */
  private static final Pattern ARRAY_ELEMENT_PATH = Pattern.compile("(^|\\.)\\d+(\\.|$)");

  private final ThreadLocal<Document> aggregationMatch = new ThreadLocal<>();
  /** The documents an aggregation reads instead of its collection's ({@link #aggregatingOver}). */
  private final ThreadLocal<List<Document>> aggregationInput = new ThreadLocal<>();
  private final CountMemo counts = new CountMemo();

  KeyLookupH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                        MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
    super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
  }

  /**
   * The index of a non-unique index definition: a view of the postings of its first key (shared
   * with the collection's other indexes on that key, or new and so filled by mongo-java-server
   * from the documents), or null when that key cannot have postings.
   */
  synchronized LeadingKeyIndex secondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
    String field = keys.get(0).getKey();
    if (ARRAY_ELEMENT_PATH.matcher(field).find() || field.contains("$")) {
      return null;
    }
    LeadingKeyPostings kept = maintainedPostings().stream().filter(p -> p.field().equals(field)).findFirst().orElse(null);
    return new LeadingKeyIndex(name, keys, sparse, kept != null ? kept : new LeadingKeyPostings(field));
  }

  /** Runs an aggregation whose first stage is {@code $match}: its documents are read as {@link #queryAll} says. */
  <T> T aggregating(Document firstMatch, Supplier<T> aggregation) {
    aggregationMatch.set(firstMatch);
    try {
      return aggregation.get();
    } finally {
      aggregationMatch.remove();
    }
  }

  /**
   * Where an aggregation reads its documents (mongo-java-server calls this once, before its first
   * stage): for one that {@link #aggregating} announced, the candidates of its first {@code $match}
   * (which the aggregation's own first stage then matches), else every document.
   */
  @Override
  public synchronized Iterable<Document> queryAll() {
    List<Document> input = aggregationInput.get();
    aggregationInput.remove();
    if (input != null) {
      return input;
    }
    Document match = aggregationMatch.get();
    aggregationMatch.remove();
    if (match != null) {
      List<Object> candidates = candidates(match);
      if (candidates != null) {
        List<Document> documents = new ArrayList<>(candidates.size());
        for (Object position : candidates) {
          documents.add(getDocument(position));
        }
        return documents;
      }
    }
    return handleQuery(new Document());
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                       Document fieldSelector) {
    if (query.size() > 1 || query.containsKey("$and")) {
      for (Index<Object> index : getIndexes()) {
        Document keys = plainKeys(index, query);
        if (keys != null && index.canHandle(keys)) {
          return matchDocuments(query, index.getPositions(keys), orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
      }
    }
    List<Object> looked = uniqueLookups(query);
    if (looked != null) {
      return matchDocuments(query, looked, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }
    boolean upstreamIndex = getIndexes().stream().anyMatch(index -> index.canHandle(query));
    if (!upstreamIndex && !isNaturalDescending(orderBy)) {
      QueryResult walked = walkInOrder(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      if (walked != null) {
        return walked;
      }
      List<Object> candidates = candidates(query);
      if (candidates != null) {
        return matchDocuments(query, candidates, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      }
    }
    return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
  }

  /**
   * A sorted page ({@code limit} after {@code numberToSkip}) keeps only the best documents while
   * matching instead of sorting every match (mongo-java-server sorts them all, and its comparator
   * is slow: most of a page of 10,000 patients). Ties keep the order of the scan, as the full
   * stable sort does, so the page is the same.
   */
  @Override
  protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documentStream, int numberToSkip, int limit,
                                                 int batchSize, Comparator<Document> documentComparator, Document fieldSelector) {
    return keepBest(CompiledRegexQuery.of(query), documentStream, numberToSkip, limit, batchSize, documentComparator, fieldSelector);
  }

  private QueryResult keepBest(Document query, Stream<Document> documentStream, int numberToSkip, int limit, int batchSize,
                               Comparator<Document> documentComparator, Document fieldSelector) {
    if (documentComparator == null || limit <= 0 || numberToSkip < 0 || (long) numberToSkip + limit > TOP_PAGE_LIMIT) {
      return super.matchDocumentsFromStream(query, documentStream, numberToSkip, limit, batchSize, documentComparator, fieldSelector);
    }
    int kept = numberToSkip + limit;
    Comparator<Ranked> ranking = Comparator.comparing(Ranked::document, documentComparator).thenComparingLong(Ranked::order);
    PriorityQueue<Ranked> worstFirst = new PriorityQueue<>(kept + 1, ranking.reversed());
    long[] order = {0};
    documentStream.filter(document -> documentMatchesQuery(document, query)).forEach(document -> {
      Ranked ranked = new Ranked(document, order[0]++);
      if (worstFirst.size() < kept) {
        worstFirst.add(ranked);
      } else if (ranking.compare(ranked, worstFirst.peek()) < 0) {
        worstFirst.poll();
        worstFirst.add(ranked);
      }
    });
    List<Ranked> best = new ArrayList<>(worstFirst);
    best.sort(ranking);
    Stream<Document> page = best.stream().skip(numberToSkip).map(Ranked::document);
    return super.matchDocumentsFromStream(new Document(), page, 0, limit, batchSize, null, fieldSelector);
  }

  private record Ranked(Document document, long order) {}

  /**
   * A sorted page read in the order of a compound non-unique index ({@link LeadingKeyOrder}):
   * the query names the index's first key by one plain value and sorts by its other keys (as the
   * index, or all reversed), so the documents of that value are read in the page's order, the
   * whole query matched against each, until {@code skip + limit} have matched. Null when no
   * index's order serves the query (it then reads every candidate). Under the collection's lock,
   * which every write holds too.
   */
  private synchronized QueryResult walkInOrder(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                               Document fieldSelector) {
    if (orderBy == null || limit <= 0 || numberToSkip < 0 || (long) numberToSkip + limit > TOP_PAGE_LIMIT) {
      return null;
    }
    for (Index<Object> index : getIndexes()) {
      if (!(index instanceof LeadingKeyIndex view) || view.order() == null) {
        continue;
      }
      Boolean forward = view.order().direction(orderBy);
      Collection<?> values = forward == null ? null : plainValues(query, view.postings().field());
      if (values == null || values.size() != 1 || !view.postings().allKeyed()) {
        continue;
      }
      Document matched = CompiledRegexQuery.of(query);
      List<Document> page = new ArrayList<>(limit);
      int[] skipped = {0};
      boolean walked = view.order().walk(values.iterator().next(), forward, () -> view.postings().candidates(values), this::getDocument,
          position -> {
            Document document = getDocument(position);
            if (document != null && documentMatchesQuery(document, matched)) {
              if (skipped[0] < numberToSkip) {
                skipped[0]++;
              } else {
                page.add(document);
              }
            }
            return page.size() < limit;
          });
      if (walked) {
        return super.matchDocumentsFromStream(new Document(), page.stream(), 0, limit, batchSize, null, fieldSelector);
      }
    }
    return null;
  }

  /**
   * For a query that names every key of a unique index by a plain value but one, which it names by
   * a top-level {@code $in} of plain values (a clinic's records of some users): the documents of
   * each of those keys, in scan order; null when no unique index is named so.
   */
  private List<Object> uniqueLookups(Document query) {
    for (Index<Object> index : getIndexes()) {
      List<Document> keySets = index.isUnique() ? keySets(index, query) : null;
      if (keySets == null || keySets.stream().anyMatch(keys -> !index.canHandle(keys))) {
        continue;
      }
      TreeSet<Object> positions = new TreeSet<>(SCAN_ORDER);
      keySets.forEach(keys -> index.getPositions(keys).forEach(positions::add));
      return new ArrayList<>(positions);
    }
    return null;
  }

  /**
   * How many documents match {@code match} when the postings of a non-unique index's first key
   * answer it without reading them: the query is exactly that key and one plain value (or an
   * {@code $eq}/{@code $in} of one), and every document's value there has a key. Else -1.
   */
  int exactCount(Document match) {
    if (match.size() != 1) {
      return -1;
    }
    for (LeadingKeyPostings kept : maintainedPostings()) {
      Collection<?> values = plainValues(match.get(kept.field()));
      if (match.containsKey(kept.field()) && values != null && values.size() == 1) {
        return kept.exactCount(values.iterator().next());
      }
    }
    return -1;
  }

  /** The counts of count aggregations kept while the collection is not written. */
  CountMemo counts() {
    return counts;
  }

  // Every write of the collection (mongo-java-server's synchronized write paths) empties the counts once it is done.

  @Override
  public synchronized void addDocument(Document document) {
    try {
      super.addDocument(document);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized void addDocuments(Stream<Document> documents) {
    try {
      super.addDocuments(documents);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized List<Document> insertDocuments(List<Document> documents, boolean isOrdered) {
    try {
      return super.insertDocuments(documents, isOrdered);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized Document findAndModify(Document query) {
    try {
      return super.findAndModify(query);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized int deleteDocuments(Document selector, int limit, Oplog oplog) {
    try {
      return super.deleteDocuments(selector, limit, oplog);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters, boolean isMulti,
                                               boolean isUpsert, Oplog oplog) {
    try {
      return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized void removeDocument(Document document) {
    try {
      super.removeDocument(document);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized void renameTo(MongoDatabase newDatabase, String newCollectionName) {
    try {
      super.renameTo(newDatabase, newCollectionName);
    } finally {
      counts.written();
    }
  }

  @Override
  public synchronized void drop() {
    try {
      super.drop();
    } finally {
      counts.written();
    }
  }

  /** Runs an aggregation that reads {@code input} instead of the collection's documents. */
  <T> T aggregatingOver(List<Document> input, Supplier<T> aggregation) {
    aggregationInput.set(input);
    try {
      return aggregation.get();
    } finally {
      aggregationInput.remove();
    }
  }

  /** The keys of the unique index for each value of the one key the query names by {@code $in} (see {@link #uniqueLookups}). */
  private static List<Document> keySets(Index<Object> index, Document query) {
    Document plain = new Document();
    String listed = null;
    Collection<?> values = null;
    for (IndexKey key : index.getKeys()) {
      Object value = query.get(key.getKey());
      if (isPlain(value)) {
        plain.put(key.getKey(), value);
      } else if (listed == null && value instanceof Document operators && operators.size() == 1
          && operators.get("$in") instanceof Collection<?> in && in.size() <= MAX_LOOKUPS && in.stream().allMatch(KeyLookupH2Collection::isPlain)) {
        listed = key.getKey();
        values = in;
      } else {
        return null;
      }
    }
    if (listed == null) {
      return null;
    }
    List<Document> keySets = new ArrayList<>();
    for (Object value : values) {
      Document keys = new Document();
      for (IndexKey key : index.getKeys()) {
        keys.put(key.getKey(), key.getKey().equals(listed) ? value : plain.get(key.getKey()));
      }
      keySets.add(keys);
    }
    return keySets;
  }

  /** The positions the fewest postings give for the query, in scan order; null when no postings apply. */
  private List<Object> candidates(Document query) {
    LeadingKeyPostings best = null;
    Collection<?> bestValues = null;
    int bestEstimate = Integer.MAX_VALUE;
    for (LeadingKeyPostings kept : maintainedPostings()) {
      Collection<?> values = plainValues(query, kept.field());
      if (values != null) {
        int estimate = kept.estimate(values);
        if (estimate < bestEstimate) {
          best = kept;
          bestValues = values;
          bestEstimate = estimate;
        }
      }
    }
    return best == null ? null : best.candidates(bestValues);
  }

  /** The postings that an index of the collection keeps up to date now. */
  private Set<LeadingKeyPostings> maintainedPostings() {
    Set<LeadingKeyPostings> maintained = new LinkedHashSet<>();
    for (Index<Object> index : getIndexes()) {
      if (index instanceof LeadingKeyIndex view) {
        maintained.add(view.postings());
      }
    }
    return maintained;
  }

  /**
   * The values the query allows for {@code field} by a plain value, {@code $eq} or {@code $in} of
   * plain values, at its top level or in a condition of a top-level {@code $and}; null when it
   * does not name the field so (any other condition on it, or none).
   */
  private static Collection<?> plainValues(Document query, String field) {
    Collection<?> values = plainValues(query.get(field));
    if (values == null && query.get("$and") instanceof Collection<?> conditions) {
      for (Object condition : conditions) {
        if (condition instanceof Document document) {
          values = plainValues(document.get(field));
          if (values != null) {
            return values;
          }
        }
      }
    }
    return values;
  }

  private static Collection<?> plainValues(Object condition) {
    if (condition instanceof Document operators && operators.size() == 1) {
      if (operators.containsKey("$eq")) {
        condition = operators.get("$eq");
      } else if (operators.get("$in") instanceof Collection<?> in) {
        return in.stream().allMatch(LeadingKeyPostings::keyable) ? in : null;
      }
    }
    return LeadingKeyPostings.keyable(condition) ? List.of(condition) : null;
  }

  /**
   * The part of {@code query} that names each key of the unique index by a plain value, or null:
   * at its top level or in one of the conditions of a top-level {@code $and} (as the outbox's
   * conditional writes send them).
   */
  private static Document plainKeys(Index<Object> index, Document query) {
    if (!index.isUnique()) {
      return null;
    }
    Document keys = new Document();
    for (IndexKey key : index.getKeys()) {
      Object value = plainValue(query, key.getKey());
      if (value == null) {
        return null;
      }
      keys.put(key.getKey(), value);
    }
    return keys.size() < query.size() || query.containsKey("$and") ? keys : null;
  }

  private static Object plainValue(Document query, String key) {
    Object value = query.get(key);
    if (isPlain(value)) {
      return value;
    }
    if (value == null && query.get("$and") instanceof Collection<?> conditions) {
      for (Object condition : conditions) {
        if (condition instanceof Document document && isPlain(document.get(key))) {
          return document.get(key);
        }
      }
    }
    return null;
  }

  private static boolean isPlain(Object value) {
    return value != null && !(value instanceof Document) && !(value instanceof Collection) && !(value instanceof Pattern);
  }
}
