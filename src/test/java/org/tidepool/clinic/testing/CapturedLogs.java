package org.tidepool.clinic.testing;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What the service logs while open, exactly as its stderr appender writes it (same layout:
 * log4j2.xml's, JSON in tests), at the levels given. Other test classes running meanwhile may
 * add their lines too.
 */
public final class CapturedLogs implements AutoCloseable {
  private final StringWriter out = new StringWriter();
  private final Appender appender;
  private final Map<String, Level> levels;

  private CapturedLogs(Map<String, Level> levels) {
    this.levels = levels;
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender = WriterAppender.newBuilder().setName("captured-" + System.nanoTime())
        .setLayout(config.getAppender("stderr").getLayout()).setTarget(out).build();
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, null, null);
    context.updateLoggers();
    levels.forEach(Configurator::setLevel);
  }

  /** Captures from now on, with these loggers at these levels (e.g. debug) until closed. */
  public static CapturedLogs start(Map<String, Level> levels) {
    return new CapturedLogs(levels);
  }

  public String text() {
    return out.toString();
  }

  public List<String> lines() {
    return Arrays.stream(text().split("\n")).filter(line -> !line.isBlank()).toList();
  }

  /** Every line as the JSON object it must be. */
  public List<JsonObject> json() {
    return lines().stream().map(line -> {
      try {
        return new JsonObject(line);
      } catch (DecodeException e) {
        throw new AssertionError("a log line that is not a JSON object: " + line, e);
      }
    }).toList();
  }

  @Override
  public void close() {
    levels.keySet().forEach(name -> Configurator.setLevel(name, Level.INFO));
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
