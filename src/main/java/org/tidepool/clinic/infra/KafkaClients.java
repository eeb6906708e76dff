package org.tidepool.clinic.infra;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;

/**
 * How every Kafka client of this service (relay producer, CDC consumer, dead-letter producer,
 * {@code dlq-replay}) reaches the brokers: the one place that turns upstream's settings into
 * client properties. As upstream's event library: {@code KAFKA_USERNAME} and
 * {@code KAFKA_PASSWORD} switch on SASL (SCRAM-SHA-512 unless {@code KAFKA_SASL_MECHANISM} says
 * otherwise), {@code KAFKA_REQUIRE_SSL} switches on TLS, trusting the JVM's CAs unless
 * {@code KAFKA_TLS_TRUSTSTORE_PATH} names a trust store (PKCS12, JKS or a PEM file of CAs).
 * Upstream's {@code KAFKA_VERSION} picks Sarama's protocol version; the Java client negotiates
 * it with the broker, so it is not read.
 *
 * @param properties the security properties ({@code security.protocol}, {@code sasl.*},
 *                   {@code ssl.*}) without the bootstrap servers
 */
public record KafkaClients(String brokers, Map<String, String> properties, Duration connectTimeout) {
  public static final Set<String> SASL_MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
  static final String TRUSTSTORE_PATH_KEY = "KAFKA_TLS_TRUSTSTORE_PATH";
  static final String TOPIC_PREFIX_KEY = "KAFKA_TOPIC_PREFIX";
  /** Kafka's rule for topic names and group instance ids. */
  public static final Pattern LEGAL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  /** Room the prefix leaves for the longest topic name of this service ({@code user-events-clinic-worker-dl} and its dash). */
  private static final int LONGEST_TOPIC_WITHOUT_PREFIX = 40;

  /**
   * {@code KAFKA_TOPIC_PREFIX}, checked at start-up: a prefix Kafka refuses in a topic name would
   * otherwise make every change record unpublishable (and park it) instead of stopping start-up.
   */
  public static String topicPrefix(Settings settings) {
    String prefix = settings.string(TOPIC_PREFIX_KEY);
    if (!prefix.isEmpty() && (!LEGAL_NAME.matcher(prefix).matches() || prefix.length() > 249 - LONGEST_TOPIC_WITHOUT_PREFIX)) {
      throw new ConfigException(TOPIC_PREFIX_KEY + " may hold at most " + (249 - LONGEST_TOPIC_WITHOUT_PREFIX)
          + " of a-z A-Z 0-9 . _ - (it starts every topic name), got '" + prefix + "'");
    }
    return prefix;
  }

  public static KafkaClients from(Settings settings) {
    boolean tls = settings.bool("KAFKA_REQUIRE_SSL");
    String user = settings.string("KAFKA_USERNAME");
    String password = settings.string("KAFKA_PASSWORD");
    if (user.isEmpty() != password.isEmpty()) {
      throw new ConfigException("KAFKA_USERNAME and KAFKA_PASSWORD go together: set both (SASL) or neither");
    }
    boolean sasl = !user.isEmpty();
    Map<String, String> properties = new HashMap<>();
    properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls ? "SSL" : "PLAINTEXT"));
    if (sasl) {
      String mechanism = settings.required("KAFKA_SASL_MECHANISM").toUpperCase();
      if (!SASL_MECHANISMS.contains(mechanism)) {
        throw new ConfigException("KAFKA_SASL_MECHANISM must be one of " + SASL_MECHANISMS + ", got '" + mechanism + "'");
      }
      String module = mechanism.equals("PLAIN")
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      properties.put(SaslConfigs.SASL_MECHANISM, mechanism);
      properties.put(SaslConfigs.SASL_JAAS_CONFIG,
          module + " required username=\"" + jaasQuoted(user) + "\" password=\"" + jaasQuoted(password) + "\";");
    }
    String trustStore = settings.string(TRUSTSTORE_PATH_KEY);
    if (!trustStore.isEmpty()) {
      if (!tls) {
        throw new ConfigException(TRUSTSTORE_PATH_KEY + " is set but KAFKA_REQUIRE_SSL is false: TLS is off, nothing would use it");
      }
      String type = settings.required("KAFKA_TLS_TRUSTSTORE_TYPE").toUpperCase();
      if (!Set.of("PKCS12", "JKS", "PEM").contains(type)) {
        throw new ConfigException("KAFKA_TLS_TRUSTSTORE_TYPE must be PKCS12, JKS or PEM, got '" + type + "'");
      }
      properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore);
      properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, type);
      String storePassword = settings.string("KAFKA_TLS_TRUSTSTORE_PASSWORD");
      if (!storePassword.isEmpty() && !type.equals("PEM")) {
        properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, storePassword);
      }
    }
    long timeoutMs = settings.integer("KAFKA_CONNECT_TIMEOUT_MS");
    if (timeoutMs < 100) {
      throw new ConfigException("KAFKA_CONNECT_TIMEOUT_MS must be at least 100, got " + timeoutMs);
    }
    return new KafkaClients(settings.required("KAFKA_BROKERS"), Map.copyOf(properties), Duration.ofMillis(timeoutMs));
  }

  /** Whether the settings ask for anything but a plaintext connection (the embedded broker offers only that). */
  public static boolean secured(Settings settings) {
    return settings.bool("KAFKA_REQUIRE_SSL") || !settings.string("KAFKA_USERNAME").isEmpty();
  }

  /** Bootstrap servers and security: the start of every client's configuration. */
  public Map<String, String> clientConfig() {
    Map<String, String> config = new HashMap<>(properties);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers);
    return config;
  }

  /** {@link #clientConfig()} with these entries added. */
  public Map<String, String> clientConfig(Map<String, String> more) {
    Map<String, String> config = clientConfig();
    config.putAll(more);
    return config;
  }

  public Properties clientProperties(Map<String, String> more) {
    Properties properties = new Properties();
    properties.putAll(clientConfig(more));
    return properties;
  }

  /** How this service connects, for log lines and errors (never the password). */
  public String describe() {
    String protocol = properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    String mechanism = properties.get(SaslConfigs.SASL_MECHANISM);
    return "Kafka at " + brokers + " (" + protocol + (mechanism == null ? "" : ", " + mechanism) + ")";
  }

  /**
   * Connects once and asks for the cluster's nodes. Blocking. A broker that refuses the
   * credentials or the TLS handshake fails it with a {@link ConfigException} naming the cause:
   * retrying would never help. A broker that does not answer in time only logs a warning through
   * the answer: Kafka may just be down, and the relay keeps every change until it is back.
   *
   * @return empty when the brokers answered, else why they did not
   */
  public String check() {
    Map<String, Object> config = new HashMap<>(clientConfig());
    int timeout = (int) connectTimeout.toMillis();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).nodes().get(timeout + 1000L, TimeUnit.MILLISECONDS);
      return "";
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        throw new ConfigException(describe() + " refused this service: " + refused.getMessage());
      }
      return unanswered(e.getCause());
    } catch (TimeoutException e) {
      return unanswered(e);
    } catch (KafkaException e) {
      throw new ConfigException("cannot create a Kafka client for " + describe() + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unanswered(e);
    }
  }

  /**
   * A TLS listener drops a plaintext client without a word, which looks like a broker that is
   * away; a TLS handshake (nothing else is sent) tells the two apart.
   */
  private String unanswered(Throwable cause) {
    if (!properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG).endsWith("SSL")) {
      String tlsBroker = TlsProbe.firstSpeakingTls(brokers, (int) Math.min(connectTimeout.toMillis(), 3000));
      if (tlsBroker != null) {
        throw new ConfigException(describe() + ": the broker at " + tlsBroker
            + " expects TLS, but KAFKA_REQUIRE_SSL is false");
      }
    }
    return describe() + " did not answer within " + connectTimeout.toMillis() + " ms: " + cause;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    StringBuilder message = new StringBuilder(String.valueOf(failure.getMessage()));
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      message.append(": ").append(root.getMessage());
    }
    return message.toString();
  }

  private static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
