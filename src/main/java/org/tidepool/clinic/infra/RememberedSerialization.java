package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.bson.ObjectId;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * H2's {@link ObjectDataType} (the type of mongo-java-server's maps, so the bytes on file are the
 * same) that keeps the bytes it wrote of each ObjectId for as long as that ObjectId lives. H2
 * writes a changed page whole, and an ObjectId by Java serialization (a new
 * {@code ObjectOutputStream} each): a commit after one write serialized every key of the
 * collection's leaf page and every position of its unique indexes' pages again, about half the
 * serialization on the embedded store (JFR of {@code PatientBenchmark}, docs/benchmarks.md). Now
 * each ObjectId is serialized once.
 *
 * <p>Only ObjectIds, which are immutable. Not documents: mongo-java-server's update changes the
 * stored document in place (it removes and puts the fields of the updated clone into it) before
 * putting it back, so the bytes of a document object do not stay its bytes
 * ({@code LeadingKeyIndexTest} fails when documents are kept too). The bytes are kept by the
 * object's identity and go when it is collected.
 */
final class RememberedSerialization extends ObjectDataType {
  private final ConcurrentHashMap<Identity, byte[]> written = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

  @Override
  public void write(WriteBuffer buff, Object obj) {
    if (!(obj instanceof ObjectId)) {
      super.write(buff, obj);
      return;
    }
    forgetCollected();
    byte[] bytes = written.get(new Identity(obj, null));
    if (bytes == null) {
      // sized for an ObjectId (the default buffer is 1 MB, allocated at each call)
      WriteBuffer own = new WriteBuffer(256);
      super.write(own, obj);
      ByteBuffer serialized = own.getBuffer();
      bytes = new byte[serialized.position()];
      serialized.flip();
      serialized.get(bytes);
      written.put(new Identity(obj, collected), bytes);
    }
    buff.put(bytes);
  }

  /** How many objects have their bytes kept (for tests). */
  int remembered() {
    forgetCollected();
    return written.size();
  }

  private void forgetCollected() {
    for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
      written.remove(gone);
    }
  }

  /** An object by its identity, weakly held. */
  private static final class Identity extends WeakReference<Object> {
    private final int hash;

    Identity(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Identity that) || that.hash != hash) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == that.get();
    }
  }
}
