package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.intents.ClinicLock;

/**
 * The platform ports chosen by configuration: Tidepool's services when
 * {@code TIDEPOOL_SHORELINE_CLIENT_ADDRESS} is set, the embedded adapters otherwise.
 */
public final class Platform {
  public static final String SHORELINE_ADDRESS = "TIDEPOOL_SHORELINE_CLIENT_ADDRESS";
  public static final String SEAGULL_ADDRESS = "TIDEPOOL_SEAGULL_CLIENT_ADDRESS";
  public static final String SERVER_NAME = "TIDEPOOL_SERVER_NAME";
  public static final String SERVER_SECRET = "TIDEPOOL_SERVER_TOKEN";
  public static final String TOKEN_ENDPOINT = "TIDEPOOL_AUTH_SERVICE_TOKEN_ENDPOINT";
  /** How long a call to shoreline, seagull or the token endpoint may stay silent. */
  public static final String REQUEST_TIMEOUT_MS = "PLATFORM_REQUEST_TIMEOUT_MS";

  private final UserDirectory users;
  private final ServiceAccounts serviceAccounts;
  private final ShorelineSession shoreline;
  private final WebClient client;
  private final WorkerPorts worker;

  private Platform(UserDirectory users, ServiceAccounts serviceAccounts, ShorelineSession shoreline, WebClient client,
                   WorkerPorts worker) {
    this.users = users;
    this.worker = worker;
    this.serviceAccounts = serviceAccounts;
    this.shoreline = shoreline;
    this.client = client;
  }

  /**
   * @param platformDb the database of the embedded adapters; unused (may be null) in tidepool mode
   */
  public static Platform create(Vertx vertx, Settings settings, MongoClient platformDb) {
    WebClient client = WebClient.create(vertx, clientOptions(settings));
    ServiceAccounts serviceAccounts = serviceAccounts(client, settings);
    if (!usesTidepoolServices(settings)) {
      if (platformDb == null) {
        throw new IllegalArgumentException("the embedded user directory needs the platform database");
      }
      return new Platform(new EmbeddedUserDirectory(platformDb, new ClinicLock(vertx)), serviceAccounts, null, client, WorkerPorts.embedded(platformDb));
    }
    ShorelineSession session = new ShorelineSession(client, settings.string(SHORELINE_ADDRESS), serverName(settings),
        settings.required(SERVER_SECRET), Clock.systemUTC());
    return new Platform(new TidepoolUserDirectory(session, settings.string(SEAGULL_ADDRESS)), serviceAccounts, session, client,
        WorkerPorts.tidepool(session, settings));
  }

  /** This service's name towards other Tidepool services (shoreline login, subject of its own dev tokens). */
  public static String serverName(Settings settings) {
    return settings.required(SERVER_NAME);
  }

  /** Tidepool's services when shoreline is configured, else the embedded adapters. */
  public static boolean usesTidepoolServices(Settings settings) {
    return !settings.string(SHORELINE_ADDRESS).isEmpty();
  }

  /**
   * A Tidepool service that accepts a connection but never answers must not hold requests
   * forever: every call to one fails (503 / 422) once it has been silent this long.
   */
  private static WebClientOptions clientOptions(Settings settings) {
    int timeoutMs = settings.integer(REQUEST_TIMEOUT_MS);
    if (timeoutMs < 1) {
      throw new ConfigException(REQUEST_TIMEOUT_MS + " must be positive, got " + timeoutMs);
    }
    return new WebClientOptions()
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private static ServiceAccounts serviceAccounts(WebClient client, Settings settings) {
    String endpoint = settings.string(TOKEN_ENDPOINT);
    if (endpoint.isEmpty()) {
      return (clientId, clientSecret) -> Future.failedFuture(ServiceError.unprocessable("service accounts are not configured"));
    }
    return new OAuthServiceAccounts(client, endpoint);
  }

  public UserDirectory users() {
    return users;
  }

  /** Custodial accounts and patient profiles: the same adapter as {@link #users()}. */
  public PatientAccounts patientAccounts() {
    return (PatientAccounts) users;
  }

  /** The services the cdc consumer's handlers call. */
  public WorkerPorts worker() {
    return worker;
  }

  public ServiceAccounts serviceAccounts() {
    return serviceAccounts;
  }

  /** This service's shoreline session, in tidepool mode. */
  public Optional<ShorelineSession> shoreline() {
    return Optional.ofNullable(shoreline);
  }

  public void close() {
    client.close();
  }
}
