package org.tidepool.clinic.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.tidepool.clinic.config.GoDurations;
import org.tidepool.clinic.config.Settings;

/**
 * The platform services the clinic-worker duties call, each a port with a Tidepool HTTP adapter
 * (addresses under upstream's variable names) and an embedded one (see {@link EmbeddedPlatformPorts}).
 */
public record WorkerPorts(ProfileStore profiles, SignupInvites invites, RestrictedTokens tokens, DataService data, Marketo marketo,
                          LegacyClinicians legacyClinicians) {
  public static final String CONFIRMATION_ADDRESS = "TIDEPOOL_CONFIRMATION_CLIENT_ADDRESS";
  public static final String DATA_ADDRESS = "TIDEPOOL_DATA_CLIENT_ADDRESS";
  public static final String AUTH_ADDRESS = "TIDEPOOL_DOCKER_PLATFORM_AUTH_HOST";
  public static final String MARKETO_ADDRESS = "TIDEPOOL_MARKETO_SERVICE_HOST";
  public static final String MARKETO_ENABLED = "TIDEPOOL_MARKETO_SERVICE_ENABLED";
  public static final String MARKETO_TIMEOUT = "TIDEPOOL_MARKETO_SERVICE_TIMEOUT";
  /** The worker's name for it (the clinic service's own, {@code TIDEPOOL_PERMISSION_CLIENT_ADDRESS}, is never called upstream). */
  public static final String GATEKEEPER_ADDRESS = "TIDEPOOL_GATEKEEPER_CLIENT_ADDRESS";

  /** No seagull configured: no profile to read, none written. */
  private static final ProfileStore NO_PROFILES = new ProfileStore() {
    @Override
    public Future<JsonObject> profile(String userId) {
      return Future.succeededFuture(null);
    }

    @Override
    public Future<Void> saveProfile(String userId, JsonObject profile) {
      return Future.succeededFuture();
    }
  };

  public static WorkerPorts embedded(MongoClient platformDb) {
    return new WorkerPorts(new EmbeddedPlatformPorts.Profiles(platformDb), new EmbeddedPlatformPorts.Invites(platformDb),
        new EmbeddedPlatformPorts.Tokens(platformDb), new EmbeddedPlatformPorts.NoData(), Marketo.DISABLED,
        new EmbeddedLegacyClinicians(platformDb));
  }

  static WorkerPorts tidepool(ShorelineSession session, Settings settings) {
    long timeoutMs = settings.integer(Platform.REQUEST_TIMEOUT_MS);
    String seagull = settings.string(Platform.SEAGULL_ADDRESS);
    ProfileStore profiles = seagull.isEmpty() ? NO_PROFILES
        : new TidepoolPlatformPorts.Profiles(new TidepoolHttp(session, "seagull", seagull, timeoutMs));
    Marketo marketo = settings.bool(MARKETO_ENABLED)
        ? new TidepoolPlatformPorts.MarketoRefresh(new TidepoolHttp(session, "marketo-service", settings.required(MARKETO_ADDRESS),
            GoDurations.read(settings, MARKETO_TIMEOUT).toMillis()))
        : Marketo.DISABLED;
    return new WorkerPorts(profiles,
        new TidepoolPlatformPorts.Invites(new TidepoolHttp(session, "hydrophone", settings.required(CONFIRMATION_ADDRESS), timeoutMs)),
        new TidepoolPlatformPorts.Tokens(new TidepoolHttp(session, "auth", settings.required(AUTH_ADDRESS), timeoutMs)),
        new TidepoolPlatformPorts.Data(new TidepoolHttp(session, "data", settings.required(DATA_ADDRESS), timeoutMs)),
        marketo,
        new TidepoolLegacyClinicians(new TidepoolHttp(session, "gatekeeper", settings.required(GATEKEEPER_ADDRESS), timeoutMs),
            new TidepoolHttp(session, "shoreline", session.address(), timeoutMs)));
  }
}
