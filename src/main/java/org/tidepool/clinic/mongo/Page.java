package org.tidepool.clinic.mongo;

import io.vertx.ext.mongo.FindOptions;

/** A page of a list: skip {@code offset} documents, return at most {@code limit}. */
public record Page(int offset, int limit) {
  public FindOptions applyTo(FindOptions options) {
    return options.setSkip(offset).setLimit(limit);
  }
}
