package org.tidepool.clinic.infra;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Whether a server answers a TLS handshake. Only a diagnosis: the handshake trusts any
 * certificate because nothing is sent over it; it is closed as soon as it completes.
 */
final class TlsProbe {
  private TlsProbe() {}

  /** The first of the comma-separated {@code host:port}s that completes a TLS handshake, or null. */
  static String firstSpeakingTls(String servers, int timeoutMs) {
    for (String server : servers.split(",")) {
      String address = server.trim();
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        continue;
      }
      if (speaksTls(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), timeoutMs)) {
        return address;
      }
    }
    return null;
  }

  private static boolean speaksTls(String host, int port, int timeoutMs) {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), timeoutMs);
      plain.setSoTimeout(timeoutMs);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyCertificate()}, null);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
        tls.startHandshake();
        return true;
      }
    } catch (java.io.IOException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static final class AnyCertificate implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
