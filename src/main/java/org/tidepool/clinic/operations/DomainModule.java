package org.tidepool.clinic.operations;

import java.util.List;
import org.tidepool.clinic.mongo.IndexSpec;

/**
 * What a domain contributes to the store: the indexes of its collections and a handler for
 * each of its actions in the {@link Catalogue}. The store serves it on its domain's address.
 */
public interface DomainModule {
  Domain domain();

  List<IndexSpec> indexes();

  ActionHandlers handlers();
}
