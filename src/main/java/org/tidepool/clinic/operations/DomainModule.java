package org.tidepool.clinic.operations;

import io.vertx.core.Future;
import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;
import org.tidepool.clinic.mongo.MongoCapabilities;

/**
 * What a domain contributes to the store: the indexes of its collections, a data migration, and a handler for
 * each of its actions in the {@link Catalogue}. The store serves it on its domain's address.
 */
public interface DomainModule {
  Domain domain();

  List<IndexSpec> indexes();

  ActionHandlers handlers();

  /**
   * Brings the module's stored data up to date at store start-up, after its indexes and before
   * the first request (non-blocking, in batches): derived fields that documents written by older
   * versions or other writers lack. Nothing by default.
   */
  default Future<Void> migrateData(MongoCapabilities capabilities) {
    return Future.succeededFuture();
  }
}
