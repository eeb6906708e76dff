package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.tidepool.clinic.common.Actions;

/**
 * Answers the store's {@code ClinicianNotice} action (docs/design.md) from a table, until the
 * store verticle is on main; can be told to fail for a clinic, as a store in trouble would.
 */
final class StoreNotices {
  private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  static StoreNotices listen(Vertx vertx) {
    StoreNotices store = new StoreNotices();
    vertx.eventBus().<JsonObject>consumer("clinic.store", message -> {
      if (!"ClinicianNotice".equals(message.headers().get(Actions.HEADER))) {
        message.fail(400, "unknown action");
        return;
      }
      String clinicId = message.body().getString("clinicId");
      store.attempts.computeIfAbsent(clinicId, id -> new AtomicInteger()).incrementAndGet();
      if (store.failing.contains(clinicId)) {
        message.fail(500, "internal error");
        return;
      }
      JsonObject answer = store.answers.get(clinicId + "/" + message.body().getString("userId"));
      if (answer == null) {
        message.fail(404, "clinician not found");
      } else {
        message.reply(answer);
      }
    }).completion().await();
    return store;
  }

  void answer(String clinicId, String userId, JsonObject notice) {
    answers.put(clinicId + "/" + userId, notice);
  }

  void failFor(String clinicId) {
    failing.add(clinicId);
  }

  void recover(String clinicId) {
    failing.remove(clinicId);
  }

  int attemptsFor(String clinicId) {
    AtomicInteger count = attempts.get(clinicId);
    return count == null ? 0 : count.get();
  }
}
