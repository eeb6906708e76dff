package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server on a loopback port. With a directory it keeps its data in an H2 (MVStore)
 * file there, so it survives restarts, and every write is in that file before it is acknowledged
 * ({@link CommitBeforeReplyH2Backend}); without one it is in memory. Blocking: call it from a
 * worker thread.
 */
public final class EmbeddedMongo implements AutoCloseable {
  /** H2's own default, for the command-line tools that open the files of a stopped service. */
  static final int DEFAULT_CACHE_MB = 16;
  private final MongoServer server;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoBackend backend, int port) {
    this.server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    this.address = server.getLocalAddress();
  }

  /** Durable against a crash of this process (written to the file, not forced to the disk). */
  public static EmbeddedMongo onDisk(Path directory, int port) {
    return onDisk(directory, port, false, DEFAULT_CACHE_MB);
  }

  /** With {@code fsync}, every acknowledged write is also forced to the disk (survives a power loss). */
  /** {@code cacheMegabytes}: H2's page cache; a query reads what its indexes point at (else the collection), and a cache that holds them saves re-reading pages. */
  public static EmbeddedMongo onDisk(Path directory, int port, boolean fsync, int cacheMegabytes) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the embedded MongoDB directory " + directory, e);
    }
    MVStore store = new MVStore.Builder().fileName(directory.resolve("mongo.mv").toString()).cacheSize(cacheMegabytes).open();
    return new EmbeddedMongo(new CommitBeforeReplyH2Backend(store, fsync), port);
  }

  public static EmbeddedMongo inMemory() {
    return new EmbeddedMongo(new MemoryBackend(), 0);
  }

  public String connectionString() {
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  public int port() {
    return address.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
