package org.tidepool.clinic.mail;

/** Event-bus address and actions of the mail verticle (see docs/design.md, {@code clinic.mail}). */
public final class MailAddresses {
  public static final String ADDRESS = "clinic.mail";

  /**
   * {@code {"template", "recipient", "variables": {...}, "dedupKey"}} → {@code {"sent": true}} or
   * {@code {"sent": false, "reason": "duplicate" | "invalid recipient" | "unknown template"}}.
   */
  public static final String SEND = "send";

  public static final String REASON_DUPLICATE = "duplicate";
  public static final String REASON_INVALID_RECIPIENT = "invalid recipient";
  public static final String REASON_UNKNOWN_TEMPLATE = "unknown template";

  private MailAddresses() {}
}
