package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/**
 * A non-unique index of the embedded store: a view of the {@link LeadingKeyPostings} of its first
 * key, kept up to date with every write like the unique indexes. mongo-java-server itself ignores
 * non-unique indexes, so a query of one clinic's patients read every patient of every clinic;
 * {@link KeyLookupH2Collection} reads only the candidates of the postings instead. It never
 * refuses a document, and never answers a query itself ({@link #canHandle} is false): the
 * collection chooses the postings.
 */
final class LeadingKeyIndex extends Index<Object> {
  private final LeadingKeyPostings postings;
  /** The index's order after its first key, for the values queries walk; null for an index of one key. */
  private final LeadingKeyOrder order;

  LeadingKeyIndex(String name, List<IndexKey> keys, boolean sparse, LeadingKeyPostings postings) {
    super(name, keys, sparse);
    this.postings = postings;
    this.order = LeadingKeyOrder.ordered(keys) ? new LeadingKeyOrder(keys) : null;
  }

  LeadingKeyPostings postings() {
    return postings;
  }

  /** Null for an index of one key. */
  LeadingKeyOrder order() {
    return order;
  }

  /** The H2 backend's position of a document: its {@code _id}. */
  private static Object positionOf(Document document) {
    return document.get("_id");
  }

  @Override
  public Object getPosition(Document document) {
    return null;
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Object> collection) {
    // not unique
  }

  @Override
  public void add(Document document, Object position, MongoCollection<Object> collection) {
    postings.put(position, document);
    if (order != null) {
      order.put(position, document);
    }
  }

  @Override
  public Object remove(Document document) {
    Object position = positionOf(document);
    postings.remove(position);
    if (order != null) {
      order.remove(position);
    }
    return position;
  }

  @Override
  public boolean canHandle(Document query) {
    return false;
  }

  @Override
  public Iterable<Object> getPositions(Document query) {
    throw new UnsupportedOperationException("the collection reads the postings of " + postings.field());
  }

  @Override
  public long getCount() {
    return postings.size();
  }

  @Override
  public long getDataSize() {
    return 0;
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    // not unique
  }

  @Override
  public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
    postings.put(position, newDocument);
    if (order != null) {
      order.put(position, newDocument);
    }
  }

  @Override
  public void drop() {
    // the postings go with the last index that keeps them (KeyLookupH2Collection#postingsFor)
  }
}
