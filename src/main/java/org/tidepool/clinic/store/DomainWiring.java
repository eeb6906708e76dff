package org.tidepool.clinic.store;

import java.util.List;
import org.tidepool.clinic.operations.DomainModule;

/** Builds the domain modules the store serves, once the store has its resources (at start-up). */
@FunctionalInterface
public interface DomainWiring {
  List<DomainModule> modules(StoreResources resources);
}
