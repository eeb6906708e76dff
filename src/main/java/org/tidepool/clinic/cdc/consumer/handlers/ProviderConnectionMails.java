package org.tidepool.clinic.cdc.consumer.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.cdc.consumer.events.ChangeEvent;
import org.tidepool.clinic.platform.DataService;
import org.tidepool.clinic.platform.RestrictedTokens;
import org.tidepool.clinic.platform.UserDirectory;
import org.tidepool.clinic.operations.StoreCalls;
import org.tidepool.clinic.mail.MailRequests;

/**
 * Provider connection requests ({@code ConnectProvider}) and email changes of a patient with
 * requests: per provider, the old connection links revoked, a 30-day restricted token for
 * {@code /v1/oauth/<provider>}, the mail {@code request_<provider>_<connect|connect_custodial|reconnect>}
 * carrying it, and a connect reminder. Each provider's step of one change is recorded in
 * {@link Effects}: a redelivery neither revokes the token the first delivery mailed nor mails again.
 */
public final class ProviderConnectionMails {
  private static final Logger log = LoggerFactory.getLogger(ProviderConnectionMails.class);
  static final List<String> PROVIDERS = List.of("dexcom", "twiist", "abbott");
  private static final String REQUESTS = "providerConnectionRequests";

  private final RestrictedTokens tokens;
  private final DataService data;
  private final UserDirectory users;
  private final StoreCalls store;
  private final MailRequests mail;
  private final Effects effects;
  private final HandlerSettings settings;

  public ProviderConnectionMails(RestrictedTokens tokens, DataService data, UserDirectory users, StoreCalls store, MailRequests mail,
                                 Effects effects, HandlerSettings settings) {
    this.tokens = tokens;
    this.data = data;
    this.users = users;
    this.store = store;
    this.mail = mail;
    this.effects = effects;
    this.settings = settings;
  }

  Future<Void> handle(ChangeEvent event) {
    Future<Void> chain = Future.succeededFuture();
    for (String provider : requestedProviders(event)) {
      chain = chain.compose(done -> send(event, provider));
    }
    return chain;
  }

  /**
   * The providers this change asks to connect: after an email change every provider with a
   * request in the record; else those whose requests the update wrote, in any of the shapes a
   * change stream reports them (the whole object, {@code providerConnectionRequests.<provider>}
   * as a whole array, or its newest element {@code providerConnectionRequests.<provider>.0}).
   */
  static Set<String> requestedProviders(ChangeEvent event) {
    Set<String> providers = new LinkedHashSet<>();
    BsonDocument updated = event.updatedFields();
    boolean emailChanged = updated.containsKey("email") || event.removedFields().contains("email");
    if (emailChanged) {
      BsonDocument record = event.fullDocument();
      BsonDocument requests = record != null && record.isDocument(REQUESTS) ? record.getDocument(REQUESTS) : new BsonDocument();
      PROVIDERS.stream().filter(p -> nonEmptyArray(requests.get(p))).forEach(providers::add);
      return providers;
    }
    for (String key : updated.keySet()) {
      if (key.equals(REQUESTS) && updated.isDocument(key)) {
        BsonDocument requests = updated.getDocument(key);
        PROVIDERS.stream().filter(p -> nonEmptyArray(requests.get(p))).forEach(providers::add);
      } else if (key.startsWith(REQUESTS + ".")) {
        String[] path = key.substring(REQUESTS.length() + 1).split("\\.");
        String provider = path[0];
        boolean whole = path.length == 1 && nonEmptyArray(updated.get(key));
        boolean newest = path.length == 2 && path[1].equals("0") && updated.isDocument(key);
        if (PROVIDERS.contains(provider) && (whole || newest)) {
          providers.add(provider);
        }
      }
    }
    return providers;
  }

  private Future<Void> send(ChangeEvent event, String provider) {
    String effectKey = event.id() + ":connect:" + provider;
    return effects.find(effectKey).compose(effect -> {
      if (effect != null && effect.getBoolean("done", false)) {
        log.info("connection mail {} of change {} was sent before; not again", provider, event.id());
        return Future.succeededFuture();
      }
      String madeBefore = effect == null ? null : effect.getString("tokenId");
      return connect(event, provider, effectKey, madeBefore);
    });
  }

  private Future<Void> connect(ChangeEvent event, String provider, String effectKey, String tokenMadeBefore) {
    BsonDocument patient = event.fullDocument();
    String userId = Bson.string(patient, "userId");
    String clinicId = Bson.id(patient.get("clinicId"));
    List<String> paths = List.of("/v1/oauth/" + provider);
    // a token this change made before (it failed after): kept, the mail it is for is not sent yet
    Future<Void> revoked = tokenMadeBefore != null ? Future.succeededFuture() : revokeOld(userId, paths);
    return revoked.compose(done -> users.find(userId)).compose(user -> {
      if (user == null || user.email() == null || user.email().isBlank()) {
        log.info("connection request {} of {}: no email known, nothing sent", provider, userId);
        return Future.succeededFuture();
      }
      return store.clinicName(clinicId).compose(clinicName -> {
        if (clinicName == null) {
          return Future.succeededFuture(); // the clinic is gone
        }
        Future<String> token = tokenMadeBefore != null ? Future.succeededFuture(tokenMadeBefore)
            : tokens.create(userId, paths, Instant.now().plus(HandlerSettings.TOKEN_VALIDITY))
                .compose(id -> effects.record(effectKey, new JsonObject().put("tokenId", id)).map(id));
        return token.compose(tokenId -> {
          String template = "request_" + provider + "_" + action(patient, provider);
          JsonObject variables = new JsonObject().put("ClinicName", clinicName).put("RestrictedTokenId", tokenId)
              .put("PatientName", Bson.string(patient, "fullName")).put("ProviderName", provider);
          return mail.send(template, user.email(), variables, event.id())
              .compose(sent -> effects.record(effectKey, new JsonObject().put("tokenId", tokenId).put("done", true)))
              .compose(recorded -> connectReminder(clinicId, userId, user.email(), patient, provider, tokenId));
        });
      });
    });
  }

  private Future<Void> revokeOld(String userId, List<String> paths) {
    return tokens.list(userId).compose(found -> found.stream().filter(token -> token.paths().equals(paths)).findFirst()
        .map(token -> tokens.delete(token.id()))
        .orElse(Future.succeededFuture()));
  }

  /** Scheduled with the data service after the mail; a failure is only logged (as upstream). */
  private Future<Void> connectReminder(String clinicId, String userId, String email, BsonDocument patient, String provider, String tokenId) {
    JsonObject body = new JsonObject().put("clinicId", clinicId).put("email", email)
        .put("emailTemplate", "reminder_" + provider + "_connect_custodial").put("providerName", provider)
        .put("restrictedTokenId", tokenId).put("userId", userId)
        .put("whenToSend", Instant.now().plus(settings.remindersInterval()).toString());
    String name = Bson.string(patient, "fullName");
    if (name != null && !name.isEmpty()) {
      body.put("patientName", name);
    }
    return data.scheduleConnectReminder(body).<Void>mapEmpty().recover(failure -> {
      log.warn("connect reminder for {} ({}) not scheduled: {}", userId, provider, failure.getMessage());
      return Future.succeededFuture();
    });
  }

  /** {@code reconnect} when the provider's data source waits for a reconnection, else by custody. */
  private static String action(BsonDocument patient, String provider) {
    BsonArray sources = patient.isArray("dataSources") ? patient.getArray("dataSources") : new BsonArray();
    for (BsonValue source : sources) {
      if (source.isDocument() && provider.equals(Bson.string(source.asDocument(), "providerName"))
          && "pendingReconnect".equals(Bson.string(source.asDocument(), "state"))) {
        return "reconnect";
      }
    }
    return Bson.isCustodial(patient) ? "connect_custodial" : "connect";
  }

  private static boolean nonEmptyArray(BsonValue value) {
    return value != null && value.isArray() && !value.asArray().isEmpty();
  }
}
