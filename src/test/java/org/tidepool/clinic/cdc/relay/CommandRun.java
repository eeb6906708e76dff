package org.tidepool.clinic.cdc.relay;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of the service's command line as an operator runs it: a JVM of its own, in a directory of its own. */
record CommandRun(int exit, String stdout, String stderr) {
  private static final long TIMEOUT_S = 90;

  /** Runs {@code org.tidepool.clinic.Main args} in {@code directory} (DATA_DIR = directory/data unless given). */
  static CommandRun of(Path directory, Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // a short run: the quick JIT tier only starts faster
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "org.tidepool.clinic.Main"));
    command.addAll(List.of(args));
    File out = directory.resolve("stdout").toFile();
    File err = directory.resolve("stderr").toFile();
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectOutput(out).redirectError(err);
    builder.environment().remove("TIDEPOOL_STORE_ADDRESSES");
    builder.environment().put("DATA_DIR", directory.resolve("data").toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("'" + String.join(" ", args) + "' did not finish within " + TIMEOUT_S + " s");
    }
    return new CommandRun(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }
}
