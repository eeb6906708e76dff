package org.tidepool.clinic.mail;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.tidepool.clinic.mongo.RetentionSweep;
import java.util.Map;
import java.util.function.Function;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.Actions;
import org.tidepool.clinic.common.Meters;
import org.tidepool.clinic.config.Settings;
import org.tidepool.clinic.intents.ClinicLock;

/**
 * Sends a mail template (over SMTP or to the mailer topic, {@code MAIL_DELIVERY}), at most once per dedup key
 * (address {@value MailAddresses#ADDRESS}, action {@value MailAddresses#SEND}).
 */
public class MailVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MailVerticle.class);

  private MailConfig config;
  private MongoClient mongo;
  private MailDelivery delivery;
  private MailLog mailLog;
  /** How long a sent mail's dedup key is kept (a replay older than that would mail again). */
  static final String RETENTION_KEY = "MAIL_LOG_RETENTION";
  private long sweepTimer = -1;
  private MailTemplates templates;
  private MessageConsumer<Object> consumer;
  private MeterRegistry meters;
  /** The lock scope of the sends of one dedup key. */
  static final String DEDUP_SCOPE = "mail:";
  private ClinicLock locks;

  @Override
  public Future<?> start() {
    java.time.Duration retention;
    try {
      Settings settings = new Settings(config());
      config = MailConfig.from(settings);
      retention = org.tidepool.clinic.config.GoDurations.read(settings, RETENTION_KEY);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    mongo = MongoClient.createShared(vertx, config.mongo(), "clinic");
    mailLog = new MailLog(mongo);
    locks = new ClinicLock(vertx);
    sweepTimer = new RetentionSweep(mongo, MailLog.COLLECTION, MailLog.SENT_TIME, retention).schedule(vertx);
    meters = Meters.of(vertx);
    return MailTemplates.load(vertx).compose(loaded -> {
      templates = loaded;
      delivery = config.delivery() == MailDelivery.Kind.SMTP ? new SmtpDelivery(vertx, config, templates)
          : new MailerTopicDelivery(vertx, config);
      Map<String, Function<Message<Object>, Future<?>>> actions = Map.of(MailAddresses.SEND, this::send);
      consumer = Actions.serve(vertx, MailAddresses.ADDRESS, actions);
      log.info("mail: sending {} as {}", templates.names(), delivery.describe());
      return consumer.completion();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered
        .eventually(() -> delivery == null ? Future.succeededFuture() : delivery.close())
        .eventually(() -> mongo == null ? Future.succeededFuture() : mongo.close());
  }

  private Future<JsonObject> send(Message<Object> message) {
    SendRequest request = SendRequest.from(message.body());
    // like upstream's mailer, requests that can never succeed are dropped (not retried)
    if (!templates.exists(request.template())) {
      return notSent(request, MailAddresses.REASON_UNKNOWN_TEMPLATE);
    }
    if (!RecipientAddress.isValid(request.recipient())) {
      return notSent(request, MailAddresses.REASON_INVALID_RECIPIENT);
    }
    String dedupKey = request.dedupKey();
    if (dedupKey == null) {
      return deliver(request);
    }
    // A request repeated while the first is still with the SMTP server (its caller timed out and
    // retried) waits for it, then finds it in the log, instead of sending a second mail; the lock
    // is cluster-wide when the event bus is, so the repetition may reach another process.
    return locks.run(DEDUP_SCOPE + dedupKey, () -> sendOnce(request, dedupKey));
  }

  private Future<JsonObject> sendOnce(SendRequest request, String dedupKey) {
    return mailLog.wasSent(dedupKey).compose(alreadySent -> {
      if (alreadySent) {
        return notSent(request, MailAddresses.REASON_DUPLICATE);
      }
      // Recorded only after the server accepted the mail: a crash in between means the request
      // is redelivered and the mail sent twice, never that a mail is skipped (at-least-once).
      return deliver(request).compose(sent -> mailLog.recordSent(dedupKey, request)
          .map(sent)
          .recover(e -> {
            log.error("mail: {} was sent but not recorded under dedup key {}", request.template(), dedupKey, e);
            return Future.succeededFuture(sent);
          }));
    });
  }

  private Future<JsonObject> deliver(SendRequest request) {
    return delivery.deliver(request)
        .onFailure(failed -> count(FAILED, request.template()))
        .map(done -> {
          count(SENT, request.template());
          log.info("mail: sent {} (dedup key {})", request.template(), request.dedupKey());
          return new JsonObject().put("sent", true);
        });
  }

  /** Mails the SMTP server (or the mailer topic) accepted, per template ({@code clinic_mail_sent_total{template}}). */
  static final String SENT = "clinic.mail.sent";
  /** Sends refused or not answered (each is retried by its caller), per template. */
  static final String FAILED = "clinic.mail.failed";

  /** Only templates that exist get here: the label's values are bounded by the template index. */
  private void count(String meter, String template) {
    Counter.builder(meter).tag("template", template).register(meters).increment();
  }

  private Future<JsonObject> notSent(SendRequest request, String reason) {
    if (MailAddresses.REASON_DUPLICATE.equals(reason)) {
      log.info("mail: {} already sent (dedup key {})", request.template(), request.dedupKey());
    } else {
      log.warn("mail: dropped {} (dedup key {}): {}", request.template(), request.dedupKey(), reason);
    }
    return Future.succeededFuture(new JsonObject().put("sent", false).put("reason", reason));
  }
}
