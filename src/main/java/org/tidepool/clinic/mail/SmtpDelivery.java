package org.tidepool.clinic.mail;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tidepool.clinic.common.ServiceError;

/** Renders the template (subject, text, HTML) with {@code WebURL}/{@code AssetURL} and sends it over SMTP. */
final class SmtpDelivery implements MailDelivery {
  private static final Logger log = LoggerFactory.getLogger(SmtpDelivery.class);

  private final MailConfig config;
  private final MailTemplates templates;
  private final MailClient client;

  SmtpDelivery(Vertx vertx, MailConfig config, MailTemplates templates) {
    this.config = config;
    this.templates = templates;
    this.client = MailClient.create(vertx, config.clientConfig());
  }

  @Override
  public Future<Void> deliver(SendRequest request) {
    JsonObject variables = request.variables().copy()
        .put("WebURL", config.webUrl())
        .put("AssetURL", config.assetUrl());
    return templates.render(request.template(), variables)
        .compose(mail -> client.sendMail(message(request, mail))
            .recover(e -> {
              log.warn("mail: SMTP server {}:{} did not accept {} (dedup key {}): {}",
                  config.smtpHost(), config.smtpPort(), request.template(), request.dedupKey(), e.getMessage());
              return Future.failedFuture(new ServiceError(ServiceError.UNAVAILABLE, "mail server unavailable"));
            }))
        .mapEmpty();
  }

  private MailMessage message(SendRequest request, RenderedMail mail) {
    MailMessage message = new MailMessage()
        .setFrom(config.from())
        .setTo(request.recipient())
        .setSubject(mail.subject())
        .setText(mail.text())
        .setHtml(mail.html());
    if (request.dedupKey() != null) {
      message.setHeaders(MultiMap.caseInsensitiveMultiMap()
          .set("Message-ID", MessageIds.forDedupKey(request.dedupKey(), config.from())));
    }
    return message;
  }

  @Override
  public String describe() {
    return "SMTP " + config.smtpHost() + ":" + config.smtpPort();
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
