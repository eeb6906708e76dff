package org.tidepool.clinic.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as a child JVM ({@code org.tidepool.clinic.Main serve} on this test's classpath),
 * configured through environment variables, on one DATA_DIR and one set of ports across
 * restarts, so that it can be killed for real ({@code SIGKILL}) and started again on the same data.
 */
final class ServiceProcess implements AutoCloseable {
  static final String JWT_SECRET = "crash-test-secret-for-the-clinic-service-0123456789";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path dataDir;
  private final Path logDir;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private int starts;

  ServiceProcess(Path dataDir, Path logDir, Map<String, String> extraEnv) {
    this.dataDir = dataDir;
    this.logDir = logDir;
    env.put("DATA_DIR", dataDir.toString());
    env.put("HTTP_HOST", "127.0.0.1");
    choosePorts();
    env.put("HTTP_INSTANCES", "1");
    env.put("EMBEDDED_MONGO_PORT", "0");
    env.put("JWT_SECRET", JWT_SECRET);
    env.put("CDC_RETRY_INITIAL_DELAY_MS", "50");
    env.put("CDC_RETRY_MAX_DELAY_MS", "500");
    env.putAll(extraEnv);
  }

  /**
   * Ports free now; another server of the test JVM may still take one before the service binds
   * it, so a first start that finds a port taken is retried on new ones ({@link #awaitReady}).
   */
  private void choosePorts() {
    env.put("HTTP_PORT", String.valueOf(freePort()));
    env.put("EMBEDDED_KAFKA_PORT", String.valueOf(freePort()));
    env.put("EMBEDDED_SMTP_PORT", String.valueOf(freePort()));
    env.put("EMBEDDED_IMAP_PORT", String.valueOf(freePort()));
  }

  private boolean lostAPortRace() {
    try {
      return starts == 1 && Files.readString(logDir.resolve("service-1.log")).contains("BindException");
    } catch (IOException e) {
      return false;
    }
  }

  int httpPort() {
    return Integer.parseInt(env.get("HTTP_PORT"));
  }

  Path dataDir() {
    return dataDir;
  }

  Path mailDir() {
    return dataDir.resolve("mail");
  }

  /** Starts the JVM (its output goes to {@code <logDir>/service-<n>.log}). */
  void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    try {
      Files.createDirectories(logDir);
      Files.createDirectories(dataDir);
      Path log = logDir.resolve("service-" + (++starts) + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC"));
      // e.g. -Dcrash.jvmArgs=-Dclinic.logFormat=text for plain-text logs
      String extraJvmArgs = System.getProperty("crash.jvmArgs", "").trim();
      if (!extraJvmArgs.isEmpty()) {
        command.addAll(List.of(extraJvmArgs.split("\\s+")));
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.tidepool.clinic.Main", "serve"));
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dataDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the service process", e);
    }
  }

  /** Waits until {@code /ready} answers 200; fails when the process dies or takes too long. */
  void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    int retries = 3;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        if (lostAPortRace() && retries-- > 0) {
          starts = 0;
          choosePorts();
          start();
          continue;
        }
        throw new AssertionError("the service exited with " + process.exitValue() + " before it was ready; see " + logDir);
      }
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/ready"))
          .timeout(Duration.ofSeconds(3)).build();
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      sleep(100);
    }
    throw new AssertionError("the service was not ready within " + READY_TIMEOUT + "; see " + logDir);
  }

  /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
  void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the killed service process did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A clean stop (SIGTERM: the shutdown hook stops the service). */
  void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(45, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** SIGTERM, then waits for the exit; answers how long the stop took (ms). */
  long terminate(Duration limit) {
    long started = System.nanoTime();
    process.destroy();
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError("the service did not exit within " + limit + " of SIGTERM; see " + logDir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Override
  public void close() {
    kill();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
