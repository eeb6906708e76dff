package org.tidepool.clinic.infra;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail on loopback: SMTP to receive what the service sends, IMAP to read it back with any
 * mail client: every mail, whoever it is to, lands in one inbox (user and password
 * {@value #MAILBOX}). Port 0 picks a free port.
 *
 * <p>One inbox, not GreenMail's default of one per recipient: GreenMail finds and creates a
 * recipient's mailbox by a walk over all of them, so with a mailbox for each of 10,000 migrated
 * patients that walk was a fifth of the CPU of the whole migration.
 */
public final class EmbeddedSmtp implements AutoCloseable {
  /** The system property by which jakarta.mail's {@code FactoryFinder} finds the stream provider before any ServiceLoader scan. */
  static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
  /** Angus Mail's provider: the one its service file names, and the only one on the class path. */
  static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

  /** The IMAP user (and password) of the one inbox. */
  public static final String MAILBOX = "mail";

  private final GreenMail greenMail;

  private EmbeddedSmtp(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  public static EmbeddedSmtp start(int smtpPort, int imapPort) {
    nameStreamProvider();
    GreenMail greenMail = new GreenMail(new ServerSetup[] {
        setup(smtpPort, ServerSetup.PROTOCOL_SMTP), setup(imapPort, ServerSetup.PROTOCOL_IMAP)});
    greenMail.start();
    GreenMailUser inbox = greenMail.setUser(MAILBOX + "@localhost", MAILBOX, MAILBOX);
    greenMail.getUserManager().setMessageDeliveryHandler((message, recipient) -> inbox);
    return new EmbeddedSmtp(greenMail);
  }

  /**
   * GreenMail parses every message it receives with jakarta.mail, which looks its stream provider
   * up at each header block and multipart: without the system property, a ServiceLoader scan of
   * every jar on the class path (a tenth of the CPU of a CreatePatientAccount on the embedded stack,
   * whose invitation mail GreenMail receives; 40 % of GreenMail's CPU in a 10,000-patient migration;
   * jakartaee/mail-api #699, #861). Named here, it is one class lookup. A value already
   * set is kept; without Angus Mail nothing is set.
   */
  static void nameStreamProvider() {
    if (System.getProperty(STREAM_PROVIDER) != null) {
      return;
    }
    try {
      Class.forName(ANGUS_STREAM_PROVIDER, false, EmbeddedSmtp.class.getClassLoader());
      System.setProperty(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
    } catch (ClassNotFoundException absent) {
      // jakarta.mail falls back on its ServiceLoader lookup
    }
  }

  private static ServerSetup setup(int port, String protocol) {
    ServerSetup setup = new ServerSetup(port, "127.0.0.1", protocol);
    return port == 0 ? setup.dynamicPort() : setup;
  }

  public GreenMail greenMail() {
    return greenMail;
  }

  public int smtpPort() {
    return greenMail.getSmtp().getPort();
  }

  public int imapPort() {
    return greenMail.getImap().getPort();
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
