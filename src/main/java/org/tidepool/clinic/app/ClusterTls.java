package org.tidepool.clinic.app;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.tidepool.clinic.config.ConfigException;
import org.tidepool.clinic.config.Settings;

/**
 * The clustered event bus's mutual TLS: every member presents a certificate from its key store
 * and accepts only peers whose certificate its trust store vouches for (client auth required), so
 * a process without the cluster's credentials can neither send to nor receive from the event bus
 * (the store trusts the caller named in each message). Key store PKCS12, JKS, or PEM (certificate
 * chain in {@code CLUSTER_TLS_KEYSTORE_PATH}, private key in {@code CLUSTER_TLS_KEY_PATH}); trust
 * store PKCS12, JKS or PEM (a file of CA certificates). Peers are known by IP, so the peer's name
 * is not checked against its certificate: holding a certificate the cluster trusts is the proof.
 *
 * @param trustFingerprint SHA-256 over the trusted certificates (sorted), to derive the Hazelcast
 *                         cluster name from, so that members of different trust never join
 */
record ClusterTls(KeyCertOptions key, TrustOptions trust, String trustFingerprint) {
  static final String INSECURE_KEY = "CLUSTER_INSECURE";
  private static final Set<String> STORE_TYPES = Set.of("PKCS12", "JKS", "PEM");

  /** The TLS material of the settings; null when {@code CLUSTER_INSECURE} allows a plain event bus. */
  static ClusterTls from(Settings settings) {
    String keyStore = settings.string("CLUSTER_TLS_KEYSTORE_PATH");
    String trustStore = settings.string("CLUSTER_TLS_TRUSTSTORE_PATH");
    if (keyStore.isEmpty() && trustStore.isEmpty()) {
      if (settings.bool(INSECURE_KEY)) {
        return null;
      }
      throw new ConfigException("CLUSTERED=true needs CLUSTER_TLS_KEYSTORE_PATH and CLUSTER_TLS_TRUSTSTORE_PATH: the store trusts"
          + " the caller named in each event-bus message, so only holders of the cluster's certificate may send"
          + " (" + INSECURE_KEY + "=true runs without, for development on one trusted host only)");
    }
    if (keyStore.isEmpty() || trustStore.isEmpty()) {
      throw new ConfigException("CLUSTER_TLS_KEYSTORE_PATH and CLUSTER_TLS_TRUSTSTORE_PATH go together: set both");
    }
    String keyType = type(settings, "CLUSTER_TLS_KEYSTORE_TYPE");
    String keyPassword = settings.string("CLUSTER_TLS_KEYSTORE_PASSWORD");
    KeyCertOptions key = switch (keyType) {
      case "PKCS12" -> new PfxOptions().setPath(readable(keyStore, "CLUSTER_TLS_KEYSTORE_PATH")).setPassword(keyPassword);
      case "JKS" -> new JksOptions().setPath(readable(keyStore, "CLUSTER_TLS_KEYSTORE_PATH")).setPassword(keyPassword);
      default -> new PemKeyCertOptions().setCertPath(readable(keyStore, "CLUSTER_TLS_KEYSTORE_PATH"))
          .setKeyPath(readable(settings.required("CLUSTER_TLS_KEY_PATH"), "CLUSTER_TLS_KEY_PATH"));
    };
    String trustType = type(settings, "CLUSTER_TLS_TRUSTSTORE_TYPE");
    String trustPassword = settings.string("CLUSTER_TLS_TRUSTSTORE_PASSWORD");
    readable(trustStore, "CLUSTER_TLS_TRUSTSTORE_PATH");
    TrustOptions trust = switch (trustType) {
      case "PKCS12" -> new PfxOptions().setPath(trustStore).setPassword(trustPassword);
      case "JKS" -> new JksOptions().setPath(trustStore).setPassword(trustPassword);
      default -> new PemTrustOptions().addCertPath(trustStore);
    };
    return new ClusterTls(key, trust, fingerprint(trustStore, trustType, trustPassword));
  }

  /** Mutual TLS on the event bus: this member's certificate, the cluster's trust, peers must present theirs. */
  void applyTo(EventBusOptions options) {
    options.setSsl(true).setKeyCertOptions(key).setTrustOptions(trust).setClientAuth(ClientAuth.REQUIRED);
  }

  private static String type(Settings settings, String key) {
    String type = settings.required(key).toUpperCase();
    if (!STORE_TYPES.contains(type)) {
      throw new ConfigException(key + " must be PKCS12, JKS or PEM, got '" + type + "'");
    }
    return type;
  }

  private static String readable(String path, String key) {
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException(key + " names no readable file: " + path);
    }
    return path;
  }

  /** The trusted certificates, not the file: two members' trust store files differ byte for byte even with one CA. */
  private static String fingerprint(String path, String type, String password) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      List<String> encoded = new ArrayList<>();
      if (type.equals("PEM")) {
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          encoded.add(HexFormat.of().formatHex(certificate.getEncoded()));
        }
      } else {
        KeyStore store = KeyStore.getInstance(type);
        store.load(in, password.toCharArray());
        for (String alias : Collections.list(store.aliases())) {
          Certificate certificate = store.getCertificate(alias);
          if (certificate != null) {
            encoded.add(HexFormat.of().formatHex(certificate.getEncoded()));
          }
        }
      }
      if (encoded.isEmpty()) {
        throw new ConfigException("CLUSTER_TLS_TRUSTSTORE_PATH holds no certificate: " + path);
      }
      Collections.sort(encoded);
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      encoded.forEach(hex -> digest.update(HexFormat.of().parseHex(hex)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("CLUSTER_TLS_TRUSTSTORE_PATH cannot be read as " + type + " (is CLUSTER_TLS_TRUSTSTORE_PASSWORD right?): "
          + e.getMessage());
    }
  }
}
