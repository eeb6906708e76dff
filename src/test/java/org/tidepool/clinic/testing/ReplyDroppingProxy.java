package org.tidepool.clinic.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a MongoDB server that can lose one reply: once armed with some words,
 * the first request whose bytes hold all of them (say {@code findAndModify} and {@code clinics})
 * reaches the server, which applies it, but the connection is closed before its reply gets back.
 * The client sees a lost connection after a write that happened, the fault a change record must
 * survive.
 */
public final class ReplyDroppingProxy implements AutoCloseable {
  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final AtomicReference<List<byte[]>> armed = new AtomicReference<>();
  private final CompletableFuture<Void> dropped = new CompletableFuture<>();

  private ReplyDroppingProxy(Vertx vertx, NetServer server, NetClient client) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
  }

  /** Listens on a free loopback port in front of {@code upstreamPort}. */
  public static ReplyDroppingProxy start(int upstreamPort) throws Exception {
    Vertx vertx = Vertx.vertx();
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    ReplyDroppingProxy proxy = new ReplyDroppingProxy(vertx, server, client);
    server.connectHandler(downstream -> proxy.connect(downstream, upstreamPort));
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** The next request holding every one of {@code words} loses its reply. */
  public void loseReplyTo(String... words) {
    armed.set(java.util.Arrays.stream(words).map(word -> word.getBytes(StandardCharsets.UTF_8)).toList());
  }

  /** Waits until an armed request's reply was lost. */
  public void awaitDropped() throws Exception {
    dropped.get(20, TimeUnit.SECONDS);
  }

  private void connect(NetSocket downstream, int upstreamPort) {
    downstream.pause();
    client.connect(upstreamPort, "127.0.0.1").onSuccess(upstream -> {
      AtomicReference<Boolean> loseReply = new AtomicReference<>(false);
      downstream.handler(request -> {
        List<byte[]> words = armed.get();
        if (words != null && containsAll(request, words) && armed.compareAndSet(words, null)) {
          loseReply.set(true);
        }
        upstream.write(request);
      });
      upstream.handler(reply -> {
        if (loseReply.get()) {
          downstream.close();
          upstream.close();
          dropped.complete(null);
        } else {
          downstream.write(reply);
        }
      });
      downstream.closeHandler(v -> upstream.close());
      upstream.closeHandler(v -> downstream.close());
      downstream.resume();
    }).onFailure(failure -> downstream.close());
  }

  private static boolean containsAll(Buffer buffer, List<byte[]> words) {
    byte[] bytes = buffer.getBytes();
    return words.stream().allMatch(word -> indexOf(bytes, word) >= 0);
  }

  private static int indexOf(byte[] bytes, byte[] word) {
    outer:
    for (int i = 0; i <= bytes.length - word.length; i++) {
      for (int j = 0; j < word.length; j++) {
        if (bytes[i + j] != word[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    vertx.close();
  }
}
