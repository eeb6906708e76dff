package org.tidepool.clinic.infra;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail on loopback: SMTP to receive what the service sends, IMAP to read it back with any
 * mail client (user and password = the recipient address). Port 0 picks a free port.
 */
public final class EmbeddedSmtp implements AutoCloseable {
  private final GreenMail greenMail;

  private EmbeddedSmtp(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  /**
   * Jakarta Mail looks its stream provider up anew for every message it parses (jakartaee/mail-api
   * #699, #861): through the {@code ServiceLoader}, a scan of the class path, unless this system
   * property names the class. GreenMail parses every mail it receives, and that lookup was 40 % of
   * its CPU (JFR of a 10,000-patient migration).
   */
  static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

  public static EmbeddedSmtp start(int smtpPort, int imapPort) {
    if (System.getProperty(STREAM_PROVIDER) == null) {
      System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
    }
    GreenMail greenMail = new GreenMail(new ServerSetup[] {
        setup(smtpPort, ServerSetup.PROTOCOL_SMTP), setup(imapPort, ServerSetup.PROTOCOL_IMAP)});
    greenMail.start();
    return new EmbeddedSmtp(greenMail);
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
