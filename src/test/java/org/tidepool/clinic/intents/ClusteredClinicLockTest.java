package org.tidepool.clinic.intents;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tidepool.clinic.testing.HazelcastPair;

/**
 * The clinic's lock with a clustered event bus (Hazelcast). Hazelcast's map locks belong to the
 * thread that took them and are reentrant, and Vert.x takes them on its worker threads, which then
 * serve other tasks: a second change of the same process whose acquisition runs on the thread
 * that took the lock for the first got it at once, while the first still held it. One worker
 * thread per member makes that happen every time; two members check that processes take turns.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusteredClinicLockTest {
  private static final String CLINIC = "0123456789abcdef01234567";
  private static HazelcastPair cluster;
  private static Vertx vertx;
  private static Vertx otherProcess;

  @BeforeAll
  static void start() {
    cluster = new HazelcastPair("clinic-lock", 1);
    vertx = cluster.first();
    otherProcess = cluster.second();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aSecondChangeOfTheSameProcessWaitsForTheFirst() throws Exception {
    ClinicLock lock = new ClinicLock(vertx, Duration.ofSeconds(5));
    Promise<Void> firstRunning = Promise.promise();
    Promise<Void> firstDone = Promise.promise();
    Future<String> first = lock.run(CLINIC, () -> {
      firstRunning.complete();
      return firstDone.future().map("first");
    });
    firstRunning.future().await(10, TimeUnit.SECONDS);

    Future<String> second = lock.run(CLINIC,
        () -> Future.succeededFuture(firstDone.future().isComplete() ? "second" : "second, while the first held the lock"));
    Thread.sleep(500);
    assertThat(second.isComplete()).as("the second change ran while the first held the lock").isFalse();

    firstDone.complete();
    assertThat(first.await(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(second.await(10, TimeUnit.SECONDS)).isEqualTo("second");
  }

  @Test
  void concurrentChangesOfTheSameProcessRunOneAtATime() throws Exception {
    assertThat(mostAtOnce(List.of(vertx), 20)).isEqualTo(1);
  }

  @Test
  void concurrentChangesOfTwoProcessesRunOneAtATime() throws Exception {
    assertThat(mostAtOnce(List.of(vertx, otherProcess), 10)).isEqualTo(1);
  }

  /** Runs {@code each} changes of the clinic in each process at once; how many ran at the same time at most. */
  private static int mostAtOnce(List<Vertx> processes, int each) throws Exception {
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<Future<Void>> changes = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      for (Vertx process : processes) {
        ClinicLock lock = new ClinicLock(process, Duration.ofSeconds(20));
        changes.add(lock.run(CLINIC, () -> {
          mostAtOnce.accumulateAndGet(holding.incrementAndGet(), Math::max);
          Promise<Void> done = Promise.promise();
          process.setTimer(5, id -> {
            holding.decrementAndGet();
            done.complete();
          });
          return done.future();
        }));
      }
    }
    Future.all(changes).await(30, TimeUnit.SECONDS);
    return mostAtOnce.get();
  }
}
