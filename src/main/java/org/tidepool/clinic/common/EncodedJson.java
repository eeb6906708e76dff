package org.tidepool.clinic.common;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * A JSON reply already encoded ({@link Actions#ENCODED_REPLY}). On a local event bus it is handed
 * over as it is (a {@link Buffer} would be copied, being mutable; nobody writes into these bytes);
 * on a clustered one its bytes are the message.
 */
public record EncodedJson(Buffer bytes) {
  private static final class Codec implements MessageCodec<EncodedJson, EncodedJson> {
    @Override
    public void encodeToWire(Buffer buffer, EncodedJson json) {
      buffer.appendInt(json.bytes().length()).appendBuffer(json.bytes());
    }

    @Override
    public EncodedJson decodeFromWire(int position, Buffer buffer) {
      int length = buffer.getInt(position);
      return new EncodedJson(buffer.getBuffer(position + 4, position + 4 + length));
    }

    @Override
    public EncodedJson transform(EncodedJson json) {
      return json;
    }

    @Override
    public String name() {
      return "encoded-json";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  /** Lets the bus carry these; every process that sends or receives them calls it (once is enough, more is harmless). */
  public static synchronized void registerOn(EventBus bus) {
    try {
      bus.registerDefaultCodec(EncodedJson.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x registered it
    }
  }
}
