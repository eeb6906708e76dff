package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;
import java.util.regex.Pattern;
import org.h2.mvstore.MVMap;

/**
 * An H2 collection that finds a document through a unique index whenever the query names every
 * key of that index by a plain value (also within a top-level {@code $and}), whatever else it asks. mongo-java-server uses an index only
 * for a query of exactly the index's keys, so a conditional write ({@code _id} and a revision, or
 * {@code clinicId}, {@code userId} and more) read every document of the collection; here it reads
 * the one document the index points at and matches the whole query against it.
 */
final class KeyLookupH2Collection extends H2Collection {

  KeyLookupH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                        MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
    super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                       Document fieldSelector) {
    // a lone top-level $and too: the outbox's conditional writes are {$and: [{_id, ...}, {revision}]}
    if (query.size() > 1 || query.containsKey("$and")) {
      for (Index<Object> index : getIndexes()) {
        Document keys = plainKeys(index, query);
        if (keys != null && index.canHandle(keys)) {
          return matchDocuments(query, index.getPositions(keys), orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
      }
    }
    return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
  }

  /**
   * The part of {@code query} that names each key of the index by a plain value, or null: at its
   * top level or in one of the conditions of a top-level {@code $and} (as the outbox's
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
