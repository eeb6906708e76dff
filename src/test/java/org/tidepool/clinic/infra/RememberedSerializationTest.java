package org.tidepool.clinic.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedSerializationTest {
  @TempDir
  Path dir;

  @Test
  void writesTheBytesOfH2sObjectTypeAndKeepsThoseOfObjectIdsOnly() {
    RememberedSerialization remembered = new RememberedSerialization();
    Document document = new Document("_id", new ObjectId()).append("name", "Ann").append("tags", List.of("a", "b"));
    for (Object value : List.of(document, document.get("_id"), "text", 42L)) {
      assertArrayEquals(bytes(new ObjectDataType(), value), bytes(remembered, value));
      assertArrayEquals(bytes(new ObjectDataType(), value), bytes(remembered, value), "written again");
    }
    assertEquals(1, remembered.remembered(), "the ObjectId, not the document, the string or the number");

    // mongo-java-server changes a stored document in place: written again, it has its new bytes
    document.append("name", "Bob");
    assertArrayEquals(bytes(new ObjectDataType(), document), bytes(remembered, document));
  }

  @Test
  void aFileWrittenWithItReadsAsH2sOwnAndBack() throws Exception {
    Path file = Files.createDirectories(dir).resolve("store.mv");
    Document first = new Document("_id", new ObjectId()).append("n", 1);
    try (MVStore store = new MVStore.Builder().fileName(file.toString()).open()) {
      MVMap<Object, Object> map = store.openMap("data",
          new MVMap.Builder<Object, Object>().keyType(new RememberedSerialization()).valueType(new RememberedSerialization()));
      map.put(first.get("_id"), first);
      store.commit();
      map.put(first.get("_id"), first.cloneDeeply().append("n", 2));
      store.commit();
    }
    try (MVStore store = new MVStore.Builder().fileName(file.toString()).open()) {
      MVMap<Object, Object> map = store.openMap("data");
      assertEquals(new Document("_id", first.get("_id")).append("n", 2), map.get(first.get("_id")));
      map.put("other", new Document("_id", "other"));
      store.commit();
    }
    try (MVStore store = new MVStore.Builder().fileName(file.toString()).open()) {
      MVMap<Object, Object> map = store.openMap("data",
          new MVMap.Builder<Object, Object>().keyType(new RememberedSerialization()).valueType(new RememberedSerialization()));
      assertEquals(new Document("_id", "other"), map.get("other"));
      assertEquals(2, map.size());
    }
  }

  private static byte[] bytes(ObjectDataType type, Object value) {
    WriteBuffer buffer = new WriteBuffer(256);
    type.write(buffer, value);
    ByteBuffer written = buffer.getBuffer();
    byte[] bytes = new byte[written.position()];
    written.flip();
    written.get(bytes);
    return bytes;
  }
}
