package org.tidepool.clinic.intents;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The clinic's lock with a clustered event bus (Hazelcast). Hazelcast's map locks belong to the
 * thread that took them and are reentrant, and Vert.x takes them on its worker threads, which then
 * serve other tasks: a second change of the same process whose acquisition runs on the thread
 * that took the lock for the first got it at once, while the first still held it. One worker
 * thread makes that happen every time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusteredClinicLockTest {
  private static final String CLINIC = "0123456789abcdef01234567";
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("clinic-lock-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    vertx = Vertx.builder().with(new VertxOptions().setWorkerPoolSize(1))
        .withClusterManager(new HazelcastClusterManager(config)).buildClustered().await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
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

    Future<String> second = lock.run(CLINIC, () -> Future.succeededFuture(firstDone.future().isComplete() ? "second" : "second, while the first held the lock"));
    Thread.sleep(500);
    assertThat(second.isComplete()).as("the second change ran while the first held the lock").isFalse();

    firstDone.complete();
    assertThat(first.await(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(second.await(10, TimeUnit.SECONDS)).isEqualTo("second");
  }

  @Test
  void concurrentChangesOfTheSameProcessRunOneAtATime() throws Exception {
    ClinicLock lock = new ClinicLock(vertx, Duration.ofSeconds(20));
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<Future<Void>> changes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      changes.add(lock.run(CLINIC, () -> {
        mostAtOnce.accumulateAndGet(holding.incrementAndGet(), Math::max);
        Promise<Void> done = Promise.promise();
        vertx.setTimer(5, id -> {
          holding.decrementAndGet();
          done.complete();
        });
        return done.future();
      }));
    }
    Future.all(changes).await(30, TimeUnit.SECONDS);
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }
}
