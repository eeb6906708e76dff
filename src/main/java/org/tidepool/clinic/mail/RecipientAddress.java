package org.tidepool.clinic.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Whether a recipient is one plain mail address (no display name, no list), as the mailer accepts. */
final class RecipientAddress {
  private RecipientAddress() {}

  static boolean isValid(String recipient) {
    try {
      InternetAddress address = new InternetAddress(recipient, true);
      address.validate();
      return address.getPersonal() == null
          && address.getAddress().equals(recipient)
          && address.getAddress().indexOf('@') > 0;
    } catch (AddressException e) {
      return false;
    }
  }
}
