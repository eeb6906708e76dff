package org.tidepool.clinic.mail;

import io.vertx.core.Future;

/**
 * How a mail leaves this service ({@code MAIL_DELIVERY}): rendered here and sent over SMTP, or
 * handed to Tidepool's mailer as a CloudEvent on {@code <prefix>emails}. Fails with 503 when the
 * server or broker does not take it (the caller retries).
 */
interface MailDelivery {
  enum Kind { SMTP, KAFKA }

  Future<Void> deliver(SendRequest request);

  /** Where mails go, for the start-up log line. */
  String describe();

  Future<Void> close();
}
