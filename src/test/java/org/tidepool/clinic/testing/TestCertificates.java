package org.tidepool.clinic.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 made with the JDK's {@code keytool}, as an operator
 * would make one: its key store (PKCS12, key and certificate), a trust store holding only the
 * certificate (PKCS12), and the certificate and its private key (PKCS#8) as PEM. Whoever trusts it
 * trusts exactly its holder.
 */
public record TestCertificates(Path keyStore, Path trustStore, Path certificatePem, Path privateKeyPem, String password) {

  /** Makes a new key pair and certificate under {@code directory/name.*}. */
  public static TestCertificates selfSigned(Path directory, String name) {
    try {
      Files.createDirectories(directory);
      String password = "pw-" + name + "-" + Long.toHexString(System.nanoTime());
      Path keyStore = directory.resolve(name + "-keystore.p12");
      Path pem = directory.resolve(name + "-cert.pem");
      Path trustStore = directory.resolve(name + "-truststore.p12");
      keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
          "-dname", "CN=" + name + ",O=clinic-service tests", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
          "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
      keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore.toString(), "-storepass", password,
          "-file", pem.toString());
      keytool("-importcert", "-noprompt", "-alias", name + "-ca", "-file", pem.toString(), "-storetype", "PKCS12",
          "-keystore", trustStore.toString(), "-storepass", password);
      Path keyPem = directory.resolve(name + "-key.pem");
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, password.toCharArray());
      }
      byte[] pkcs8 = store.getKey(name, password.toCharArray()).getEncoded();
      Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n");
      return new TestCertificates(keyStore, trustStore, pem, keyPem, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }

  /** The settings of a cluster member holding this certificate and trusting only it (PKCS12 key and trust store). */
  public JsonObject clusterSettings() {
    return new JsonObject()
        .put("CLUSTER_TLS_KEYSTORE_PATH", keyStore.toString()).put("CLUSTER_TLS_KEYSTORE_PASSWORD", password)
        .put("CLUSTER_TLS_KEYSTORE_TYPE", "PKCS12")
        .put("CLUSTER_TLS_TRUSTSTORE_PATH", trustStore.toString()).put("CLUSTER_TLS_TRUSTSTORE_PASSWORD", password)
        .put("CLUSTER_TLS_TRUSTSTORE_TYPE", "PKCS12");
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
