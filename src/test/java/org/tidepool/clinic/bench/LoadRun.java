package org.tidepool.clinic.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpResponse;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: {@code concurrency} callers, each sending its next request when the last
 * one answered, for a fixed time after a warm-up. Latencies go into an HdrHistogram (µs).
 *
 * <p>A warm-up goes on past its given time, a second at a time, until the JIT is quiet (it
 * compiled for less than {@link #JIT_QUIET_FRACTION} of the last second), for at most
 * {@link #MOST_EXTRA_WARMUP_SECONDS} more: with the broker, the store and the service in one JVM
 * on 2 cores, the compiler took a third of the CPU of a write row 50 s after start, so the row
 * measured the JIT more than the service. Each row reports how much the JIT compiled while it was
 * measured.
 */
final class LoadRun {
  static final double JIT_QUIET_FRACTION = 0.05;
  static final int MOST_EXTRA_WARMUP_SECONDS = 60;

  /**
   * {@code cpuSeconds}: the CPU time of the whole JVM (service, servers and load generator) while
   * the row was measured. Per request it is steadier than latency on a machine shared with other
   * work, which stretches wall-clock times but not the work done.
   */
  record Result(String name, long requests, long errors, double seconds, Histogram latencyMicros, double cpuSeconds,
                double jitSeconds) {
    /** The share of the measured time the JIT spent compiling (its threads' time, so up to one per compiler thread). */
    double jitShare() {
      return jitSeconds / seconds;
    }

    double throughput() {
      return requests / seconds;
    }

    double cpuMillisPerRequest() {
      return requests == 0 ? 0 : 1000 * cpuSeconds / requests;
    }

    double p50Millis() {
      return latencyMicros.getValueAtPercentile(50) / 1000.0;
    }

    double p99Millis() {
      return latencyMicros.getValueAtPercentile(99) / 1000.0;
    }
  }

  private LoadRun() {}

  /** The results as a Markdown table. */
  static String table(java.util.List<Result> results) {
    StringBuilder out = new StringBuilder(
        "| scenario | requests/s | p50 ms | p99 ms | requests | errors | CPU ms/request | JIT % |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      out.append(String.format(java.util.Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %d | %d | %.2f | %.0f |%n",
          r.name(), r.throughput(), r.p50Millis(), r.p99Millis(), r.requests(), r.errors(), r.cpuMillisPerRequest(),
          100 * r.jitShare()));
    }
    return out.toString();
  }

  /** {@code request}: an HTTP request (a status of 300 or more counts as an error) or any other call. */
  static Result run(Vertx vertx, String name, int concurrency, double warmupSeconds, double seconds,
                    Supplier<? extends Future<?>> request) {
    warmUp(vertx, name, concurrency, warmupSeconds, request);
    Histogram histogram = new Histogram(60_000_000L, 3);
    AtomicLong requests = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long cpuBefore = processCpuNanos();
    long jitBefore = jitMillis();
    long startedAt = System.currentTimeMillis();
    double elapsed = run(vertx, concurrency, seconds, request, histogram, requests, errors);
    // for a profile of one row: the window of its samples
    System.err.println("row " + name + " measured from " + startedAt + " to " + System.currentTimeMillis() + " (epoch ms)");
    return new Result(name, requests.get(), errors.get(), elapsed, histogram, (processCpuNanos() - cpuBefore) / 1e9,
        (jitMillis() - jitBefore) / 1e3);
  }

  /** The given warm-up (none when it is 0), then a second more at a time until the JIT is quiet. */
  private static void warmUp(Vertx vertx, String name, int concurrency, double seconds, Supplier<? extends Future<?>> request) {
    if (seconds <= 0) {
      return;
    }
    run(vertx, concurrency, seconds, request, new Histogram(60_000_000L, 3), new AtomicLong(), new AtomicLong());
    int extra = 0;
    long compiled;
    do {
      long before = jitMillis();
      run(vertx, concurrency, 1, request, new Histogram(60_000_000L, 3), new AtomicLong(), new AtomicLong());
      extra++;
      compiled = jitMillis() - before;
    } while (compiled > 1000 * JIT_QUIET_FRACTION && extra < MOST_EXTRA_WARMUP_SECONDS);
    System.err.printf(java.util.Locale.ROOT, "row %s warmed up for %.0f s + %d s (JIT %d ms in the last second)%n",
        name, seconds, extra, compiled);
  }

  /** The JIT's compile time so far (ms, summed over its threads). */
  private static long jitMillis() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double run(Vertx vertx, int concurrency, double seconds, Supplier<? extends Future<?>> request,
                            Histogram histogram, AtomicLong requests, AtomicLong errors) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    Promise<Void>[] callers = new Promise[concurrency];
    for (int i = 0; i < concurrency; i++) {
      Promise<Void> done = Promise.promise();
      callers[i] = done;
      vertx.runOnContext(v -> next(request, end, histogram, requests, errors, done));
    }
    for (Promise<Void> caller : callers) {
      try {
        caller.future().await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void next(Supplier<? extends Future<?>> request, long end, Histogram histogram,
                           AtomicLong requests, AtomicLong errors, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    long sent = System.nanoTime();
    request.get().onComplete(answer -> {
      long micros = (System.nanoTime() - sent) / 1000;
      synchronized (histogram) {
        histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
      }
      requests.incrementAndGet();
      if (answer.failed() || answer.result() instanceof HttpResponse<?> response && response.statusCode() >= 300) {
        if (errors.incrementAndGet() == 1) {
          System.err.println("first error: " + (answer.failed() ? answer.cause().toString()
              : ((HttpResponse<?>) answer.result()).statusCode() + " " + ((HttpResponse<?>) answer.result()).bodyAsString()));
        }
      }
      next(request, end, histogram, requests, errors, done);
    });
  }
}
