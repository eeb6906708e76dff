package org.tidepool.clinic.mongo;

import io.vertx.core.json.JsonObject;

/**
 * The optimistic-concurrency counter of the published documents: every update sets it one
 * higher (absent counts as 0: documents written by upstream, and ours before their first
 * update). A write conditional on {@link #is} the revision it read cannot overwrite a change it
 * has not seen, however close in time the two are.
 */
public final class Revision {
  public static final String FIELD = "revision";

  private Revision() {}

  public static long of(JsonObject document) {
    Object value = document == null ? null : document.getValue(FIELD);
    return value instanceof Number number ? number.longValue() : 0;
  }

  /** The condition "the document is at {@code revision}". */
  public static JsonObject is(long revision) {
    return new JsonObject().put(FIELD, revision == 0 ? new JsonObject().put("$exists", false) : revision);
  }

  /** The revision that conditions require as {@link #is} states it, or null when they name none so. */
  public static Long required(JsonObject conditions) {
    Object value = conditions.getValue(FIELD);
    if (value instanceof Number number) {
      return number.longValue();
    }
    return value instanceof JsonObject condition && condition.equals(is(0).getValue(FIELD)) ? Long.valueOf(0) : null;
  }
}
